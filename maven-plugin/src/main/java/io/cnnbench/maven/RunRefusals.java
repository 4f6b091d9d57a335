package io.cnnbench.maven;

import io.cnnbench.core.bench.Shard;
import io.cnnbench.reports.MergedResults;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why result directories cannot be judged as one run's results at all: what cnn:check refuses before any rule is
 * applied, and what cnn:report shows as its gate's failure, so that the page never passes what the build refuses.
 * Each directory must hold the rows of one run, written by this version of cnn:benchmark; no (architecture, seed)
 * and no directory may be counted twice; a run split with {@code cnn.shard} must have every shard.
 */
final class RunRefusals {
    private RunRefusals() {
    }

    /**
     * The refusals of {@code byDirectory} (the rows of each directory, as read), in the order cnn:check finds them;
     * empty when the rows can be judged.
     *
     * @param listed how many directories were given: fewer keys means one was listed twice
     */
    static List<String> of(Map<Path, List<ResultRow>> byDirectory, int listed) {
        List<String> refusals = new ArrayList<>();
        byDirectory.forEach((dir, rows) -> {
            String problem = oneRunProblem(dir.resolve(RunFiles.RESULTS), rows);
            if (problem != null) {
                refusals.add(problem);
            }
        });
        // Each (architecture, seed) is judged once: the same directory listed twice, or a stale copy of a job's
        // directory beside the fresh one, would otherwise be averaged into the mean.
        if (byDirectory.size() < listed) {
            refusals.add("cnn.resultDirectories lists a directory more than once: list each run's directory once");
        }
        MergedResults.duplicates(byDirectory).forEach(d -> refusals.add(d.refusal()));
        List<ResultRow> rows = new ArrayList<>();
        byDirectory.values().forEach(rows::addAll);
        String shards = shardProblem(rows, List.copyOf(byDirectory.keySet()));
        if (shards != null) {
            refusals.add(shards);
        }
        return refusals;
    }

    /** Why {@code rows}, read from {@code results}, are not one run's, or {@code null} when they are. */
    private static String oneRunProblem(Path results, List<ResultRow> rows) {
        Set<String> runs = runIds(rows);
        if (runs.contains("")) {
            return results + " has rows without a run_id: it was not written by this version of cnn:benchmark (or"
                    + " was edited); rerun cnn:benchmark";
        }
        if (runs.size() > 1) {
            return results + " mixes rows of " + runs.size() + " runs (" + String.join(", ", runs) + "): rerun"
                    + " cnn:benchmark, or give each run its own directory and list them in cnn.resultDirectories";
        }
        return null;
    }

    /** The run ids of {@code rows}, sorted; an empty one for a row without. */
    static Set<String> runIds(List<ResultRow> rows) {
        Set<String> runs = new TreeSet<>();
        for (ResultRow r : rows) {
            runs.add(r.get(ResultColumn.RUN_ID));
        }
        return runs;
    }

    /** The number of shards the rows' run was split into; 1 when it was not split. */
    static int shardCount(List<ResultRow> rows) {
        for (ResultRow r : rows) {
            String text = r.get(ResultColumn.SHARD);
            if (!text.isEmpty()) {
                try {
                    return Shard.parse(text).count();
                } catch (IllegalArgumentException e) {
                    return 1; // refused by shardProblem
                }
            }
        }
        return 1;
    }

    /** Why a split run's rows are incomplete (a shard missing) or not one split, or {@code null}. */
    private static String shardProblem(List<ResultRow> rows, List<Path> dirs) {
        Set<String> seen = new TreeSet<>();
        Integer count = null;
        for (ResultRow r : rows) {
            String text = r.get(ResultColumn.SHARD);
            if (text.isEmpty()) {
                continue;
            }
            Shard shard;
            try {
                shard = Shard.parse(text);
            } catch (IllegalArgumentException e) {
                return "results.csv has shard '" + text + "': " + e.getMessage();
            }
            if (count != null && count != shard.count()) {
                return "the result directories come from runs split " + count + " and " + shard.count() + " ways:"
                        + " judge one split run at a time";
            }
            count = shard.count();
            seen.add(shard.toString());
        }
        if (count == null || count == 1) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!seen.contains(i + "/" + count)) {
                missing.add(i + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            return "shard" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " of the split run "
                    + (missing.size() == 1 ? "is" : "are") + " missing from " + dirs + ": list every shard job's"
                    + " output directory in -Dcnn.resultDirectories";
        }
        return unplannedGaps(rows, dirs);
    }

    /**
     * Why every shard is present and still the shards are not one run: a pair of the run's architectures and seeds
     * has no row. Each shard job makes its own run id, so shards of different plans (another commit's, or a stale
     * directory of an earlier pipeline) pass the checks above, while the pairs each plan gave to the missing
     * shard never ran. Every pair a run owns gets a row, failed or not, so the architectures and seeds seen
     * across the shards must all meet.
     */
    private static String unplannedGaps(List<ResultRow> rows, List<Path> dirs) {
        Set<String> architectures = new TreeSet<>();
        Set<String> seeds = new TreeSet<>();
        Set<String> pairs = new TreeSet<>();
        for (ResultRow r : rows) {
            if (r.get(ResultColumn.SHARD).isEmpty() || r.get(ResultColumn.SEED).isEmpty()) {
                continue;
            }
            architectures.add(r.architecture());
            seeds.add(r.get(ResultColumn.SEED));
            pairs.add(r.architecture() + " seed " + r.get(ResultColumn.SEED));
        }
        List<String> never = new ArrayList<>();
        for (String architecture : architectures) {
            for (String seed : seeds) {
                if (!pairs.contains(architecture + " seed " + seed)) {
                    never.add(architecture + " seed " + seed);
                }
            }
        }
        if (never.isEmpty()) {
            return null;
        }
        return "the shards in " + dirs + " do not add up to one run: no row for " + String.join(", ", never)
                + ", although the shards hold those architectures and seeds. They come from runs of different"
                + " architectures or seeds (a shard directory of an earlier pipeline?); rerun the split run and list"
                + " only its shard directories in -Dcnn.resultDirectories";
    }
}
