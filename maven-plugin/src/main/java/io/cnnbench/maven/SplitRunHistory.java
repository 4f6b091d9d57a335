package io.cnnbench.maven;

import io.cnnbench.reports.ArchitectureStats;
import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.History;
import io.cnnbench.reports.HistoryEntry;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The history lines of a run split with {@code cnn.shard}, made when cnn:report merges its shards: each shard job
 * leaves its own seeds' lines in {@link History#SHARD_FILE}, and only the whole run's mean is a point of the chart.
 * Lines are made only from evidence of this run: every shard present (cnn:check's {@link RunRefusals} none), each
 * directory's shard file written by the run of its results.csv and counting its successful seeds, the shards built
 * from one clean commit and measured under one protocol. Otherwise no line is made, and the reason says which file
 * or shard is at fault. A rerun shard's merge, which shares the other shards with a line already appended, is
 * refused by {@link History#append}.
 */
final class SplitRunHistory {
    /**
     * What merging gives.
     *
     * @param entries one line per architecture with a successful seed, over all the shards' seeds
     * @param problem why no line is made, or {@code null}
     */
    record Merge(List<HistoryEntry> entries, String problem) {
        static Merge refused(String problem) {
            return new Merge(List.of(), problem);
        }
    }

    private SplitRunHistory() {
    }

    /**
     * The whole run's lines from {@code rowsByDirectory} (each shard's results.csv, as read) and the
     * {@link History#SHARD_FILE} beside each; {@code null} when the directories are not a split run (an unsplit run
     * appended its own lines when it ran).
     *
     * @param refusals what cnn:check refuses in the same directories: any refusal means no line
     */
    static Merge merge(Map<Path, List<ResultRow>> rowsByDirectory, List<String> refusals) {
        List<ResultRow> rows = new ArrayList<>();
        rowsByDirectory.values().forEach(rows::addAll);
        if (RunRefusals.shardCount(rows) < 2) {
            return null;
        }
        if (!refusals.isEmpty()) {
            return Merge.refused("the shards are not one complete run (" + refusals.get(0) + ")");
        }
        Map<Path, List<HistoryEntry>> byDirectory = new LinkedHashMap<>();
        for (Map.Entry<Path, List<ResultRow>> d : rowsByDirectory.entrySet()) {
            Path file = d.getKey().resolve(History.SHARD_FILE);
            if (!Files.isRegularFile(file)) {
                return Merge.refused(file + " does not exist: the shard job that wrote " + d.getKey()
                        + " left no history lines (killed before its end, or a cnn:benchmark older than this"
                        + " plugin?); rerun the split run");
            }
            List<HistoryEntry> entries;
            try {
                entries = History.read(file);
            } catch (CsvFormatException e) {
                return Merge.refused(e.getMessage());
            }
            String problem = shardFileProblem(file, d.getKey(), d.getValue(), entries);
            if (problem != null) {
                return Merge.refused(problem);
            }
            byDirectory.put(d.getKey(), entries);
        }
        // After the shard files: a job killed before its end left rows without a protocol, and its missing file
        // says so better.
        String protocolProblem = protocolProblem(rowsByDirectory);
        if (protocolProblem != null) {
            return Merge.refused(protocolProblem);
        }
        return combine(byDirectory, rows);
    }

    /**
     * Why {@code entries}, read from {@code file}, are not the lines the run of {@code rows} (its directory's
     * results.csv) left, or {@code null}: every line must be of that run, and there must be exactly one per
     * architecture with successful rows, over as many seeds. A file that only shares the run id could still be short
     * (a header-only file left by an earlier job is of no run at all), so the lines are checked against the rows.
     */
    private static String shardFileProblem(Path file, Path directory, List<ResultRow> rows,
                                           List<HistoryEntry> entries) {
        String runId = rows.isEmpty() ? "" : rows.get(0).get(ResultColumn.RUN_ID);
        Map<String, Integer> okSeeds = new TreeMap<>();
        // As the shard job counted them (RunHistory.entries): successful rows with a test accuracy.
        rows.stream().filter(r -> r.ok() && !Double.isNaN(r.getDouble(ResultColumn.TEST_ACCURACY)))
                .forEach(r -> okSeeds.merge(r.architecture(), 1, Integer::sum));
        Map<String, Integer> lineSeeds = new TreeMap<>();
        for (HistoryEntry e : entries) {
            if (!e.runId().equals(runId)) {
                return file + " holds a line of run " + e.runId() + ", but " + directory + "'s results.csv is run "
                        + runId + ": it is an earlier run's; rerun the split run";
            }
            if (lineSeeds.put(e.architecture(), e.seeds()) != null) {
                return file + " has two lines for " + e.architecture() + "; rerun the split run";
            }
        }
        if (!okSeeds.equals(lineSeeds)) {
            return file + " is not the history of " + directory + "'s results.csv: its lines count seeds "
                    + lineSeeds + ", the results' successful rows " + okSeeds + " (a job that stopped before its"
                    + " end, or a file left by an earlier run?); rerun the split run";
        }
        return null;
    }

    /** Why the shards were not measured alike (their results.csv's protocol), or {@code null}. */
    private static String protocolProblem(Map<Path, List<ResultRow>> rowsByDirectory) {
        String first = null;
        Path firstDirectory = null;
        for (Map.Entry<Path, List<ResultRow>> d : rowsByDirectory.entrySet()) {
            for (ResultRow r : d.getValue()) {
                String protocol = r.get(ResultColumn.PROTOCOL);
                if (first == null) {
                    first = protocol;
                    firstDirectory = d.getKey();
                } else if (!first.equals(protocol)) {
                    return "the shards were measured under different protocols: " + quotedProtocol(first) + " in "
                            + firstDirectory + ", " + quotedProtocol(protocol) + " in " + d.getKey()
                            + "; the shards of one run share every setting but cnn.shard";
                }
            }
        }
        return null;
    }

    private static String quotedProtocol(String protocol) {
        return protocol.isEmpty() ? "(none recorded)" : "'" + protocol + "'";
    }

    /** A shard's line and the directory it was read from, for messages that name both shards. */
    private record ShardLine(HistoryEntry line, Path directory) {
    }

    /** One line per architecture from the shards' lines (commit, protocol, machine) and all the shards' rows. */
    private static Merge combine(Map<Path, List<HistoryEntry>> byDirectory, List<ResultRow> rows) {
        Map<String, ShardLine> firstOf = new LinkedHashMap<>();
        ShardLine first = null;
        Set<String> machines = new LinkedHashSet<>();
        Instant last = null;
        for (Map.Entry<Path, List<HistoryEntry>> d : byDirectory.entrySet()) {
            for (HistoryEntry e : d.getValue()) {
                if (first == null) {
                    first = new ShardLine(e, d.getKey());
                    String problem = commitProblem(e.commit(), d.getKey());
                    if (problem != null) {
                        return Merge.refused(problem);
                    }
                } else if (!first.line().commit().equals(e.commit())) {
                    return Merge.refused("the shards were built from different commits: "
                            + quoted(first.line().commit()) + " in " + first.directory() + ", " + quoted(e.commit())
                            + " in " + d.getKey() + "; list the shard directories of one pipeline");
                }
                ShardLine same = firstOf.putIfAbsent(e.architecture(), new ShardLine(e, d.getKey()));
                if (same != null && !same.line().fingerprint().equals(e.fingerprint())) {
                    return Merge.refused(e.architecture() + " was measured under protocol "
                            + same.line().fingerprint() + " in " + same.directory() + " and " + e.fingerprint()
                            + " in " + d.getKey() + " (" + e.protocol() + "); the shards must share every setting"
                            + " but cnn.shard");
                }
                machines.add(e.machine());
                last = last == null || e.date().isAfter(last) ? e.date() : last;
            }
        }
        List<ResultRow> ok = rows.stream().filter(ResultRow::ok).toList();
        List<HistoryEntry> merged = new ArrayList<>();
        for (ArchitectureStats a : Summary.of(ok).architectures()) {
            if (!a.testAccuracy().present()) {
                continue;
            }
            // Every architecture with successful rows has a line in its directories' shard files (shardFileProblem).
            HistoryEntry l = firstOf.get(a.architecture()).line();
            // The run's id is its shards' together, so merging the same shards again adds no second point.
            merged.add(HistoryEntry.fromStats(a, last, l.commit(), l.branch(), String.join(" | ", machines),
                    l.protocol(), l.fingerprint(), String.join("+", RunRefusals.runIds(rows))));
        }
        return new Merge(merged, null);
    }

    /**
     * Why the shards' commit does not show that they are one build, or {@code null}: without a commit, or with
     * uncommitted changes, two shards agreeing on it may still have run different code.
     */
    private static String commitProblem(String commit, Path directory) {
        if (commit.isEmpty()) {
            return "the shard in " + directory + " recorded no commit (no git and no CI commit variable), so the"
                    + " shards cannot be shown to be one build; run the split run from a git checkout";
        }
        if (commit.endsWith(RunHistory.UNCOMMITTED)) {
            return "the shard in " + directory + " ran " + commit + ": the shards' edits cannot be compared;"
                    + " commit them and rerun the split run";
        }
        return null;
    }

    private static String quoted(String commit) {
        return commit.isEmpty() ? "(no commit)" : commit;
    }
}
