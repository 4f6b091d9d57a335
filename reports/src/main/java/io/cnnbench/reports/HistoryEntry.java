package io.cnnbench.reports;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of {@code cnn-history.csv}: one architecture's result in one benchmark run, with where the run came from.
 *
 * @param date                  when the run finished, UTC, to the second
 * @param commit                the git commit the run was built from (full or short hash; may be empty)
 * @param branch                the git branch (may be empty)
 * @param machine               a name for the machine, so that histories of different machines can be told apart
 * @param protocol              the benchmark protocol (e.g. {@code quick}, {@code full}); results of different
 *                              protocols are not comparable
 * @param fingerprint           the configuration fingerprint of the run
 * @param architecture          the architecture's name
 * @param seeds                 how many seeds succeeded
 * @param meanTestAccuracy      mean test accuracy over the seeds that succeeded
 * @param stdTestAccuracy       sample standard deviation of it, {@code NaN} for a single seed
 * @param trainImagesPerSecond  mean training throughput over the seeds that succeeded, {@code NaN} if not measured
 * @param runId                 the run's id
 */
public record HistoryEntry(Instant date, String commit, String branch, String machine, String protocol,
                           String fingerprint, String architecture, int seeds, double meanTestAccuracy,
                           double stdTestAccuracy, double trainImagesPerSecond, String runId) {

    public HistoryEntry {
        Objects.requireNonNull(date, "date");
        date = date.truncatedTo(ChronoUnit.SECONDS);
        commit = Objects.requireNonNullElse(commit, "");
        branch = Objects.requireNonNullElse(branch, "");
        machine = Objects.requireNonNullElse(machine, "");
        protocol = Objects.requireNonNullElse(protocol, "");
        fingerprint = Objects.requireNonNullElse(fingerprint, "");
        runId = Objects.requireNonNullElse(runId, "");
        if (architecture == null || architecture.isEmpty()) {
            throw new IllegalArgumentException("a history entry needs an architecture");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException(architecture + ": a history entry needs at least one seed that"
                    + " succeeded, got " + seeds);
        }
        if (!Double.isFinite(meanTestAccuracy)) {
            throw new IllegalArgumentException(architecture + ": the mean test accuracy must be a number, got "
                    + meanTestAccuracy);
        }
    }

    /** The entry of one architecture; it must have at least one successful seed. */
    public static HistoryEntry fromStats(ArchitectureStats a, Instant date, String commit, String branch,
                                         String machine, String protocol, String fingerprint, String runId) {
        Statistic accuracy = a.testAccuracy();
        return new HistoryEntry(date, commit, branch, machine, protocol, fingerprint, a.architecture(),
                accuracy.count(), accuracy.mean(), accuracy.std(),
                a.mean(ResultColumn.TRAIN_IMAGES_PER_SECOND), runId);
    }

    /** The first seven characters of the commit, as git shows it. */
    public String shortCommit() {
        return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }

    /** The standard deviation, or 0 for a single seed. */
    public double stdOrZero() {
        return Double.isNaN(stdTestAccuracy) ? 0 : stdTestAccuracy;
    }
}
