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

/**
 * The history lines of a run split with {@code cnn.shard}, made when cnn:report merges its shards: each shard job
 * leaves its own seeds' lines in {@link History#SHARD_FILE}, and only the whole run's mean is a point of the chart.
 * Lines are made only from evidence of this run: every shard present (cnn:check's {@link RunRefusals} none), each
 * directory's shard file written by the run of its results.csv, and the shards agreeing on the commit and on each
 * architecture's protocol. Otherwise no line is made, and the reason says which file or shard is at fault.
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
                        + " left no history lines (a cnn:benchmark older than this plugin?); rerun the split run");
            }
            List<HistoryEntry> entries;
            try {
                entries = History.read(file);
            } catch (CsvFormatException e) {
                return Merge.refused(e.getMessage());
            }
            String runId = d.getValue().isEmpty() ? "" : d.getValue().get(0).get(ResultColumn.RUN_ID);
            for (HistoryEntry e : entries) {
                if (!e.runId().equals(runId)) {
                    return Merge.refused(file + " holds a line of run " + e.runId() + ", but " + d.getKey()
                            + "'s results.csv is run " + runId + ": it is an earlier run's; rerun the split run");
                }
            }
            byDirectory.put(d.getKey(), entries);
        }
        return combine(byDirectory, rows);
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
            ShardLine shardLine = firstOf.get(a.architecture());
            if (shardLine == null) {
                return Merge.refused(a.architecture() + " has successful rows in the shards, but no shard's "
                        + History.SHARD_FILE + " has a line for it; rerun the split run");
            }
            HistoryEntry l = shardLine.line();
            // The run's id is its shards' together, so merging the same shards again adds no second point.
            merged.add(HistoryEntry.fromStats(a, last, l.commit(), l.branch(), String.join(" | ", machines),
                    l.protocol(), l.fingerprint(), String.join("+", RunRefusals.runIds(rows))));
        }
        for (Map.Entry<String, ShardLine> f : firstOf.entrySet()) {
            if (merged.stream().noneMatch(e -> e.architecture().equals(f.getKey()))) {
                return Merge.refused(f.getValue().directory().resolve(History.SHARD_FILE) + " has a line for "
                        + f.getKey() + ", but no shard's results.csv has a successful row of it; rerun the split"
                        + " run");
            }
        }
        return new Merge(merged, null);
    }

    private static String quoted(String commit) {
        return commit.isEmpty() ? "(no commit)" : commit;
    }
}
