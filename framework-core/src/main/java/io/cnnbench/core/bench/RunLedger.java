package io.cnnbench.core.bench;

import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What a run owes: one row per selected architecture and seed, each either a fresh result of this run or a
 * failure row that names the cause. A build passes only on rows this run wrote, so rows carrying another run's
 * id (a stale results.csv left by an earlier run) never count.
 */
public final class RunLedger {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    /** One architecture and seed the run must answer for. */
    public record Entry(String architecture, long seed) {
        boolean matches(ResultRow row) {
            return row.architecture().equals(architecture) && row.get(ResultColumn.SEED).equals(Long.toString(seed));
        }
    }

    /**
     * The settled account.
     *
     * @param rows    one row per entry, in the order the run was asked for
     * @param missing the entries that had no fresh row and got a failure row
     * @param stale   rows of other runs that were found and dropped
     */
    public record Settled(List<ResultRow> rows, List<Entry> missing, int stale) {
        public boolean allOk() {
            return rows.stream().allMatch(ResultRow::ok);
        }
    }

    /**
     * The message of a pair's row while its run is under way. results.csv holds one for every pair not yet
     * finished, so a run that is killed (Maven and all, where nothing is left to settle the account) leaves
     * failures behind, never an earlier run's rows or a partial file that passes.
     */
    public static final String UNFINISHED = "unfinished: the run stopped (killed or interrupted) before this pair's"
            + " result was written; run cnn:benchmark again";

    private final String runId;
    private final Shard shard;
    private final List<Entry> entries;
    /** Whether the run's files go into one folder per seed ({@link RunFiles#runDirectory}). */
    private final boolean severalSeeds;

    public RunLedger(String runId, List<String> architectures, List<Long> seeds) {
        this(runId, architectures, seeds, Shard.ALL);
    }

    /** The entries of {@code shard}: of all (architecture, seed) pairs in order, the ones that shard owns. */
    public RunLedger(String runId, List<String> architectures, List<Long> seeds, Shard shard) {
        this.runId = runId;
        this.shard = shard;
        this.severalSeeds = seeds.size() > 1;
        List<Entry> list = new ArrayList<>();
        int position = 0;
        for (String a : architectures) {
            for (long s : seeds) {
                if (shard.owns(position++)) {
                    list.add(new Entry(a, s));
                }
            }
        }
        this.entries = List.copyOf(list);
    }

    /** Whether this run (its shard) trains {@code architecture} with {@code seed}. */
    public boolean includes(String architecture, long seed) {
        return entries.contains(new Entry(architecture, seed));
    }

    /** A new run id: the UTC time and 24 random bits, e.g. {@code 20261130T004512Z-7f3a9c}. */
    public static String newRunId() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + HexFormat.of().formatHex(b);
    }

    public String runId() {
        return runId;
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * A failure row for {@code entry} with {@code cause} as its message. It names the pair's folder too: what a
     * failed run left there (its history up to the failure) is this run's, and the report must not chart a folder
     * of an earlier run instead.
     */
    public ResultRow failure(Entry entry, String cause) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, entry.architecture())
                .set(ResultColumn.SEED, entry.seed())
                .set(ResultColumn.STATUS, ResultRow.FAILED)
                .set(ResultColumn.MESSAGE, cause)
                .set(ResultColumn.RUN_ID, runId)
                .set(ResultColumn.SHARD, shard.toString())
                .set(ResultColumn.RUN_DIRECTORY, runDirectoryName(entry));
    }

    /** Where {@code entry}'s files go under the output directory {@code out} ({@link RunFiles#runDirectory}). */
    public Path runDirectory(Path out, Entry entry) {
        return RunFiles.runDirectory(out, entry.architecture(), entry.seed(), severalSeeds);
    }

    /** {@link #runDirectory}'s folder relative to the output directory, as results.csv's run_directory names it. */
    public String runDirectoryName(Entry entry) {
        return RunFiles.runDirectoryName(entry.architecture(), entry.seed(), severalSeeds);
    }

    /**
     * What results.csv holds while the run is under way: the rows written so far and, for every other entry, an
     * {@link #UNFINISHED} failure row.
     */
    public List<ResultRow> inProgress(List<ResultRow> done) {
        return settle(done, UNFINISHED).rows();
    }

    /**
     * Matches {@code written} (what results.csv holds after the run, possibly nothing or another run's rows)
     * against the entries. Each entry takes this run's row for it, or a failure row saying {@code cause}.
     *
     * @param cause why rows may be missing (the training JVM's fate), or {@code null} when nothing is known
     */
    public Settled settle(List<ResultRow> written, String cause) {
        List<ResultRow> fresh = new ArrayList<>();
        int stale = 0;
        for (ResultRow r : written) {
            if (runId.equals(r.get(ResultColumn.RUN_ID))) {
                fresh.add(r);
            } else {
                stale++;
            }
        }
        List<ResultRow> rows = new ArrayList<>();
        List<Entry> missing = new ArrayList<>();
        for (Entry e : entries) {
            // An unfinished placeholder is no result: the cause, when known, says what became of the pair.
            ResultRow row = fresh.stream().filter(e::matches).filter(r -> !unfinished(r)).findFirst().orElse(null);
            if (row == null) {
                missing.add(e);
                row = failure(e, cause != null ? cause : "the run ended without a result for it");
            }
            rows.add(row);
        }
        return new Settled(List.copyOf(rows), List.copyOf(missing), stale);
    }

    private static boolean unfinished(ResultRow row) {
        return !row.ok() && UNFINISHED.equals(row.get(ResultColumn.MESSAGE));
    }
}
