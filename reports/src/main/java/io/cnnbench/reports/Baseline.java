package io.cnnbench.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A baseline: the results of an earlier run, committed in the user's repository, that later runs are compared
 * with. Either a results.csv (one row per architecture and seed) or a summary.csv (one row of means per
 * architecture) is accepted.
 */
public final class Baseline {
    private Baseline() {
    }

    /** What to do about a baseline row the gate cannot compare with. */
    private static final String FIX = "; fix the row, or rewrite the baseline from a run you accept with"
            + " -Dcnn.updateBaseline=true";

    /**
     * Reads a baseline in either format; a malformed file fails with its file, line and column. So does a value the
     * gate could not compare with ({@link #checks}).
     */
    public static List<ResultRow> read(Path file) {
        return read(file, architecture -> true);
    }

    /** As {@link #read(Path)}, checking the values of only the architectures {@code checked} accepts. */
    private static List<ResultRow> read(Path file, Predicate<String> checked) {
        List<String> header = new ArrayList<>();
        RunFiles.parse(file, header::addAll, (names, rec, line) -> {
        });
        if (header.contains(ResultColumn.TEST_ACCURACY.header() + Summary.MEAN_SUFFIX)) {
            return Summary.readAsRows(file, checks(file, true, checked));
        }
        return RunFiles.readResults(file, checks(file, false, checked));
    }

    /**
     * What makes a baseline's rows comparable: every successful row (in a summary, every row with ok_runs > 0) has a
     * test accuracy that is a fraction in [0, 1], and no training run has two rows (an architecture and seed; in a
     * summary, an architecture). The mean skips a NaN or empty cell, and a percentage, a negative value or a run
     * counted twice moves the mean and widens the band; each would let a broken run pass.
     */
    private static RunFiles.RowCheck checks(Path file, boolean summary, Predicate<String> checked) {
        Map<String, Long> seen = new HashMap<>();
        return (row, line, header) -> {
            if (!checked.test(row.architecture())) {
                return;
            }
            if (row.ok()) {
                String problem = accuracyProblem(row.get(ResultColumn.TEST_ACCURACY));
                int cell = summary ? header.indexOf(ResultColumn.TEST_ACCURACY.header() + Summary.MEAN_SUFFIX) + 1
                        : RunFiles.cellOf(header, ResultColumn.TEST_ACCURACY);
                if (problem != null && cell == 0) {
                    throw new CsvFormatException(file, 1, 1, "the header has no test_accuracy column, so the"
                            + " successful row at line " + line + " has no accuracy to compare with" + FIX);
                }
                if (problem != null) {
                    throw new CsvFormatException(file, line, cell, problem + FIX);
                }
            }
            String seed = row.get(ResultColumn.SEED);
            if (!summary && seed.isEmpty()) {
                return; // nothing says which run it was
            }
            String run = summary ? row.architecture() : row.architecture() + " seed " + seed;
            Long earlier = seen.putIfAbsent(run, line);
            if (earlier != null) {
                int cell = summary ? header.indexOf(ResultColumn.ARCHITECTURE.header()) + 1
                        : RunFiles.cellOf(header, ResultColumn.SEED);
                throw new CsvFormatException(file, line, cell, run + " already has a row at line " + earlier
                        + (summary ? ": a summary holds one row per architecture"
                        : ": each (architecture, seed) is one training run, counted once in the mean") + FIX);
            }
        };
    }

    /** The successful rows of {@code results}, which an update writes, checked as {@link #checks} checks a file. */
    private static void checkNewRows(Path baselineFile, List<ResultRow> results) {
        Set<String> runs = new HashSet<>();
        for (ResultRow r : results) {
            if (!r.ok()) {
                continue;
            }
            String seed = r.get(ResultColumn.SEED);
            String run = r.architecture() + (seed.isEmpty() ? "" : " seed " + seed);
            String problem = accuracyProblem(r.get(ResultColumn.TEST_ACCURACY));
            if (problem == null && !seed.isEmpty() && !runs.add(run)) {
                problem = "the results hold two rows of this training run";
            }
            if (problem != null) {
                throw new IllegalArgumentException("cannot rewrite the baseline " + baselineFile + " from these"
                        + " results: " + run + ": " + problem + ", which the gate would refuse to compare with;"
                        + " rerun cnn:benchmark and record the baseline from its results");
            }
        }
    }

    /** The refusal of a configured baseline file that does not exist: the build's gate and the report's say it. */
    public static String doesNotExist(Path file) {
        return "the baseline " + file + " (cnn.baseline) does not exist; record one from these results with"
                + " -Dcnn.updateBaseline=true and commit it";
    }

    /** Why a successful row's test accuracy cannot be compared with, or {@code null} when it can. */
    static String accuracyProblem(String cell) {
        if (cell.isEmpty()) {
            return "the row is marked ok but has no test_accuracy";
        }
        return RunFiles.fractionProblem("test_accuracy of a successful row", cell);
    }

    /**
     * Rewrites {@code baselineFile} atomically from {@code results}: every architecture with at least one
     * successful run gets that run's rows; architectures this run did not produce (a CI job that benchmarked a
     * subset) or whose every run failed keep their earlier baseline rows. Returns the names of the
     * architectures whose baseline changed. Nothing is written when a row of the new file would be refused by
     * {@link #read}: a kept row fails with its file, line and column, a row of these results with an
     * {@link IllegalArgumentException} naming it.
     */
    public static List<String> update(Path baselineFile, List<ResultRow> results) {
        Set<String> updated = new LinkedHashSet<>();
        for (ResultRow r : results) {
            if (r.ok()) {
                updated.add(r.architecture());
            }
        }
        // The rows being replaced are not checked: rewriting them is how a bad baseline row is fixed.
        List<ResultRow> previous = Files.exists(baselineFile)
                ? read(baselineFile, architecture -> !updated.contains(architecture)) : List.of();
        checkNewRows(baselineFile, results);
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : previous) {
            if (!updated.contains(r.architecture())) {
                rows.add(r);
            }
        }
        for (ResultRow r : results) {
            if (r.ok()) {
                rows.add(r);
            }
        }
        RunFiles.writeResults(baselineFile, rows);
        return List.copyOf(updated);
    }
}
