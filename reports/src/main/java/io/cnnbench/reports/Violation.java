package io.cnnbench.reports;

/**
 * An architecture that broke a rule of the gate. {@link #message()} is the sentence for the build log: it names
 * the architecture, the measured value, the limit and, for a drop, the baseline.
 *
 * @param measured the mean test accuracy of the run ({@code NaN} when no run succeeded)
 * @param limit    the minimum accuracy, or the largest allowed drop or rise including the noise tolerance
 */
public record Violation(String architecture, Kind kind, double measured, double limit, String message) {

    public enum Kind {
        /** No run of the architecture succeeded, so there is no accuracy to judge. */
        NO_SUCCESSFUL_RUN,
        /** The mean test accuracy is under the rule's minTestAccuracy. */
        BELOW_MINIMUM,
        /** The mean test accuracy fell below the baseline's by more than maxDrop and stdDevs standard errors. */
        DROP_OVER_LIMIT,
        /** The mean test accuracy rose above the baseline's by more than maxRise and stdDevs standard errors. */
        RISE_OVER_LIMIT,
        /** An architecture the gate expects (a rule, the selection or the baseline names it) has no row. */
        MISSING_RESULT,
        /**
         * A maxDrop or maxRise applies, but the baseline is not configured or lacks the architecture's accuracy; or
         * the configured baseline file does not exist.
         */
        MISSING_BASELINE,
        /**
         * An (architecture, seed) has rows in two result directories, or two rows in one: which one is this run's
         * cannot be told, so neither is judged.
         */
        DUPLICATE_RESULT,
        /**
         * The run and the baseline measured the architecture under different protocols (settings that change what
         * the accuracy means, such as epochs or training images), or one side's seeds under several.
         */
        PROTOCOL_MISMATCH,
        /**
         * The results cannot be judged at all, as cnn:check refuses them: rows without a run_id, several runs in one
         * directory, a directory listed twice, a shard of a split run missing.
         */
        REFUSED_RESULTS,
        /** There is no rule at all: nothing would be judged. */
        NO_RULE
    }

    @Override
    public String toString() {
        return message;
    }
}
