package io.cnnbench.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A baseline: the results of an earlier run, committed in the user's repository, that later runs are compared
 * with. Either a results.csv (one row per architecture and seed) or a summary.csv (one row of means per
 * architecture) is accepted.
 */
public final class Baseline {
    private Baseline() {
    }

    /** Reads a baseline in either format; a malformed file fails with its file, line and column. */
    public static List<ResultRow> read(Path file) {
        List<String> header = new ArrayList<>();
        RunFiles.parse(file, header::addAll, (names, rec, line) -> {
        });
        if (header.contains(ResultColumn.TEST_ACCURACY.header() + Summary.MEAN_SUFFIX)) {
            return Summary.readAsRows(file);
        }
        return RunFiles.readResults(file);
    }

    /**
     * Rewrites {@code baselineFile} atomically from {@code results}: every architecture with at least one
     * successful run gets that run's rows; architectures this run did not produce (a CI job that benchmarked a
     * subset) or whose every run failed keep their earlier baseline rows. Returns the names of the
     * architectures whose baseline changed.
     */
    public static List<String> update(Path baselineFile, List<ResultRow> results) {
        List<ResultRow> previous = Files.exists(baselineFile) ? read(baselineFile) : List.of();
        Set<String> updated = new LinkedHashSet<>();
        for (ResultRow r : results) {
            if (r.ok()) {
                updated.add(r.architecture());
            }
        }
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
