package io.cnnbench.reports;

import io.cnnbench.api.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code cnn-history.csv}: results across commits, meant to be committed to git. One line per architecture per
 * benchmark run, appended in run order, so a diff adds lines and never rewrites old ones. Columns, exactly:
 * {@value #HEADER_LINE}. The date is ISO-8601 UTC ({@code 2025-01-01T12:00:00Z}); mean and std are over the seeds
 * that succeeded, std empty for a single seed; text cells are written through {@link CsvCells}.
 */
public final class History {
    public static final String FILE = "cnn-history.csv";
    /**
     * The lines a {@code cnn.shard} job would have appended for its own seeds, left in its output directory: cnn:report
     * merges them, once every shard is there, into the whole run's lines ({@code SplitRunHistory} in the plugin).
     */
    public static final String SHARD_FILE = "history-shard.csv";
    static final String HEADER_LINE = "date,commit,branch,machine,protocol,fingerprint,architecture,seeds,"
            + "mean_test_accuracy,std_test_accuracy,train_images_per_second,run_id";
    /** The columns, in order. */
    public static final List<String> HEADER = List.of(HEADER_LINE.split(","));

    private History() {
    }

    /**
     * Appends {@code entries} to {@code file} atomically: the existing lines are read (and checked), then the whole
     * file is written to a temporary file and renamed over it, so a crash leaves the old file or the new one. A
     * missing file is created with the header. An entry whose run and architecture are already in the file is left
     * out: merging a split run again (cnn:report run twice over the same shards) adds no second point. A merged run's
     * id joins its shards' ids with {@code +}, and two ids are the same run when they join the same shards.
     *
     * @return the entries appended
     * @throws CsvFormatException if the existing file is not a history file (its header differs) or is malformed
     * @throws SharedRunException if an entry's run shares some of its shards' run ids with a line of its
     *                            architecture already there (a shard rerun after the merge); nothing is appended
     */
    public static List<HistoryEntry> append(Path file, List<HistoryEntry> entries) {
        // Read, add, rename: two runs sharing the file (CI jobs, two output directories) would each keep only
        // their own lines, so the whole update runs under a lock on a file beside it; the other waits.
        Path lockFile = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".lock");
        synchronized (History.class) {
            try {
                Files.createDirectories(lockFile.getParent());
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                     java.nio.channels.FileLock lock = ch.lock()) {
                    return appendLocked(file, entries);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<HistoryEntry> appendLocked(Path file, List<HistoryEntry> entries) {
        List<HistoryEntry> all = Files.exists(file) ? new ArrayList<>(read(file)) : new ArrayList<>();
        List<HistoryEntry> added = new ArrayList<>();
        for (HistoryEntry e : entries) {
            HistoryEntry same = e.runId().isEmpty() ? null : sharingRuns(all, e);
            if (same == null) {
                added.add(e);
            } else if (!runParts(same).equals(runParts(e))) {
                throw new SharedRunException(e.architecture() + ": run " + e.runId() + " shares a run with the line"
                        + " of run " + same.runId() + " (" + same.date() + ") in " + file + ": a shard was run again"
                        + " after its run was merged, and counting the other shards' seeds in a second point would"
                        + " weigh them twice; the line already there stands");
            }
        }
        if (added.isEmpty() && Files.exists(file)) {
            return added;
        }
        all.addAll(added);
        write(file, all);
        return added;
    }

    /**
     * The line of {@code lines} for {@code e}'s architecture whose run shares a run id with {@code e}'s, or
     * {@code null}. A merged split run's id joins its shards' ids with {@code +}; every other run's id is its own.
     */
    private static HistoryEntry sharingRuns(List<HistoryEntry> lines, HistoryEntry e) {
        Set<String> parts = runParts(e);
        for (HistoryEntry line : lines) {
            if (line.architecture().equals(e.architecture())
                    && runParts(line).stream().anyMatch(parts::contains)) {
                return line;
            }
        }
        return null;
    }

    private static Set<String> runParts(HistoryEntry e) {
        return new TreeSet<>(List.of(e.runId().split("\\+")));
    }

    /**
     * An entry whose run shares some of its shards' run ids with a line of its architecture already in the history,
     * without being that line's run: a split run merged again after one of its shards was rerun. Nothing is
     * appended.
     */
    public static final class SharedRunException extends IllegalStateException {
        SharedRunException(String message) {
            super(message);
        }
    }

    /**
     * Writes {@code entries} as the whole of {@code file} (temporary file, then rename), with the header: a shard
     * job's {@link #SHARD_FILE}, which belongs to its run alone.
     */
    public static void write(Path file, List<HistoryEntry> entries) {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader(HEADER.toArray(new String[0])).setRecordSeparator('\n').get())) {
                for (HistoryEntry e : entries) {
                    p.printRecord(cells(e));
                }
            }
        });
    }

    private static List<String> cells(HistoryEntry e) {
        return List.of(e.date().toString(), CsvCells.text(e.commit()), CsvCells.text(e.branch()),
                CsvCells.text(e.machine()), CsvCells.text(e.protocol()), CsvCells.text(e.fingerprint()),
                CsvCells.text(e.architecture()), Integer.toString(e.seeds()), number(e.meanTestAccuracy()),
                number(e.stdTestAccuracy()), number(e.trainImagesPerSecond()), CsvCells.text(e.runId()));
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : RunFiles.num(v);
    }

    /**
     * The entries of {@code file}, in file order.
     *
     * @throws CsvFormatException naming the file, line and column, if the file does not exist, its header is not
     *                            exactly {@link #HEADER}, or a cell is malformed
     */
    public static List<HistoryEntry> read(Path file) {
        List<HistoryEntry> entries = new ArrayList<>();
        RunFiles.parse(file, names -> {
            for (int i = 0; i < Math.max(names.size(), HEADER.size()); i++) {
                String found = i < names.size() ? names.get(i) : null;
                String expected = i < HEADER.size() ? HEADER.get(i) : null;
                if (found == null || !found.equals(expected)) {
                    throw new CsvFormatException(file, 1, i + 1, "not a " + FILE + " file: expected the header '"
                            + HEADER_LINE + "', found '" + String.join(",", names) + "'");
                }
            }
        }, (names, rec, line) -> entries.add(entry(file, rec, line)));
        return entries;
    }

    private static HistoryEntry entry(Path file, CSVRecord rec, long line) {
        Instant date;
        try {
            date = Instant.parse(rec.get(0));
        } catch (DateTimeParseException e) {
            throw new CsvFormatException(file, line, 1, "date must be an ISO-8601 UTC time such as"
                    + " 2025-01-01T12:00:00Z, found '" + rec.get(0) + "'");
        }
        String architecture = CsvCells.readText(rec.get(6));
        if (architecture.isEmpty()) {
            throw new CsvFormatException(file, line, 7, "empty architecture name");
        }
        int seeds;
        try {
            seeds = Integer.parseInt(rec.get(7));
        } catch (NumberFormatException e) {
            seeds = 0;
        }
        if (seeds < 1) {
            throw new CsvFormatException(file, line, 8, "seeds must be a whole number of at least 1, found '"
                    + rec.get(7) + "'");
        }
        double mean = number(file, line, 9, rec.get(8), false);
        double std = number(file, line, 10, rec.get(9), true);
        // Read like a baseline: a mean in per cent flattens the chart and makes two "moved" commits, and a spread
        // out of range widens or narrows every band after it.
        String notAFraction = RunFiles.fractionProblem("mean_test_accuracy", rec.get(8));
        if (notAFraction != null) {
            throw new CsvFormatException(file, line, 9, notAFraction + "; correct the line");
        }
        if (std < 0 || std > 1) {
            throw new CsvFormatException(file, line, 10, "std_test_accuracy must be between 0 and 1, found '"
                    + rec.get(9) + "'; correct the line");
        }
        double rate = number(file, line, 11, rec.get(10), true);
        return new HistoryEntry(date, text(rec, 1), text(rec, 2), text(rec, 3), text(rec, 4), text(rec, 5),
                architecture, seeds, mean, std, rate, text(rec, 11));
    }

    private static String text(CSVRecord rec, int index) {
        return CsvCells.readText(rec.get(index));
    }

    private static double number(Path file, long line, int column, String cell, boolean mayBeEmpty) {
        if (cell.isEmpty() && mayBeEmpty) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CsvFormatException(file, line, column, "column " + HEADER.get(column - 1) + " must be a number,"
                + " found '" + cell + "'");
    }
}
