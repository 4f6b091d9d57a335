package io.cnnbench.reports;

/**
 * An architecture that broke a rule of the gate. {@link #message()} is the sentence for the build log: it names
 * the architecture, the measured value, the limit and, for a drop, the baseline.
 *
 * @param measured the mean test accuracy of the run ({@code NaN} when no run succeeded)
 * @param limit    the minimum accuracy, or the largest allowed drop including the standard-deviation tolerance
 */
public record Violation(String architecture, Kind kind, double measured, double limit, String message) {

    public enum Kind {
        /** No run of the architecture succeeded, so there is no accuracy to judge. */
        NO_SUCCESSFUL_RUN,
        /** The mean test accuracy is under the rule's minTestAccuracy. */
        BELOW_MINIMUM,
        /** The mean test accuracy fell further below the baseline than maxDrop + stdDevs x std. */
        DROP_OVER_LIMIT,
        /** An architecture the gate expects (a rule, the selection or the baseline names it) has no row. */
        MISSING_RESULT,
        /** A maxDrop applies but the baseline is not configured or lacks the architecture or its accuracy. */
        MISSING_BASELINE,
        /** There is no rule at all: nothing would be judged. */
        NO_RULE
    }

    @Override
    public String toString() {
        return message;
    }
}
