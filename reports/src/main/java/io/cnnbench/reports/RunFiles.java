package io.cnnbench.reports;

import io.cnnbench.api.io.AtomicFiles;
import io.cnnbench.api.spi.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The run's data files, written atomically with Commons CSV and read back with errors that point at the
 * file, line and column: {@code results.csv}, {@code <architecture>/history.csv},
 * {@code <architecture>/confusion.csv} and {@code <architecture>/per_class.csv}. Text cells (names, status,
 * messages, class names) that a spreadsheet would run as a formula get a leading {@code '}, which the readers
 * take off again ({@link CsvCells}); numeric cells are written as they are.
 */
public final class RunFiles {
    public static final String RESULTS = "results.csv";
    public static final String HISTORY = "history.csv";
    public static final String CONFUSION = "confusion.csv";
    public static final String PER_CLASS = "per_class.csv";
    static final String[] HISTORY_HEADER = {"epoch", "lr", "train_loss", "train_accuracy", "val_loss",
        "val_accuracy", "seconds", "images_per_second"};
    static final String[] PER_CLASS_HEADER = {"class", "correct", "total", "accuracy"};

    private RunFiles() {
    }

    /**
     * Where one training run's files live: {@code <out>/<architecture>/} for a single seed, and
     * {@code <out>/<architecture>/seed-<seed>/} when several seeds were run.
     *
     * @throws IllegalArgumentException when {@code architecture} breaks the {@link Names} rule, which keeps every
     *                                  run directory (and {@code <architecture>.onnx} in it) inside {@code out}
     */
    public static Path runDirectory(Path out, String architecture, long seed, boolean severalSeeds) {
        Names.check(architecture, "architecture name for a run directory under " + out);
        return out.resolve(runDirectoryName(architecture, seed, severalSeeds));
    }

    /**
     * {@link #runDirectory}'s folder relative to the output directory, {@code /}-separated, as results.csv records it
     * in {@code run_directory}: {@code <architecture>} or {@code <architecture>/seed-<seed>}.
     */
    public static String runDirectoryName(String architecture, long seed, boolean severalSeeds) {
        return severalSeeds ? architecture + "/seed-" + seed : architecture;
    }

    // ------------------------------------------------------------------ results.csv

    public static void writeResults(Path file, List<ResultRow> rows) {
        String[] header = new String[ResultColumn.values().length];
        for (ResultColumn c : ResultColumn.values()) {
            header[c.ordinal()] = c.header();
        }
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
                for (ResultRow r : rows) {
                    List<String> cells = new ArrayList<>();
                    for (ResultColumn c : ResultColumn.values()) {
                        cells.add(c.numeric() ? CsvCells.number(r.get(c)) : CsvCells.text(r.get(c)));
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    /**
     * Reads results.csv; unknown columns are ignored (newer writers), missing ones read as empty. A malformed
     * file fails with a {@link CsvFormatException} naming the file, line and column.
     */
    public static List<ResultRow> readResults(Path file) {
        return readResults(file, (row, line, header) -> {
        });
    }

    /** As {@link #readResults(Path)}, handing every row to {@code check} as it is read, with its line. */
    static List<ResultRow> readResults(Path file, RowCheck check) {
        List<ResultRow> rows = new ArrayList<>();
        parse(file, names -> {
            if (!names.contains(ResultColumn.ARCHITECTURE.header())) {
                throw new CsvFormatException(file, 1, 1, "not a results file: the header has no 'architecture'"
                        + " column (found " + String.join(",", names) + ")");
            }
        }, (names, rec, line) -> {
            ResultRow row = new ResultRow();
            for (int i = 0; i < names.size(); i++) {
                ResultColumn c = ResultColumn.fromHeader(names.get(i));
                if (c != null) {
                    String cell = c.numeric() ? rec.get(i) : CsvCells.readText(rec.get(i));
                    checkNumeric(file, line, i + 1, c, cell);
                    row.set(c, cell);
                }
            }
            if (row.architecture().isEmpty()) {
                throw new CsvFormatException(file, line, names.indexOf(ResultColumn.ARCHITECTURE.header()) + 1,
                        "empty architecture name");
            }
            check.check(row, line, names);
            rows.add(row);
        });
        return rows;
    }

    static void checkNumeric(Path file, long line, int column, ResultColumn c, String v) {
        if (!c.numeric() || v.isEmpty()) {
            return;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CsvFormatException(file, line, column, "column " + c.header() + " must be a number, found '"
                    + v + "'");
        }
        if (Double.isInfinite(d)) {
            // NaN is what a failed row holds; an infinity is never a measurement this tool writes.
            throw new CsvFormatException(file, line, column, "column " + c.header() + " must be a finite number,"
                    + " found '" + v + "'");
        }
    }

    /**
     * Why {@code cell} is not an accuracy as this tool writes it, a fraction in [0, 1], naming it {@code what}; or
     * {@code null} when it is. A value between 1 and 100 is likely a percentage, and is said to be.
     */
    static String fractionProblem(String what, String cell) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (v >= 0 && v <= 1) {
            return null;
        }
        return what + " must be a fraction in [0, 1], found '" + cell + "'" + (v > 1 && v <= 100 ? " (a percentage?)"
                : "");
    }

    /** A check of one row as read: the row, the line it starts on and the file's header (to name its cells). */
    @FunctionalInterface
    interface RowCheck {
        void check(ResultRow row, long line, List<String> header);
    }

    /** The 1-based cell of {@code column} in a results header, as {@link #readResults} matches it; 0 when absent. */
    static int cellOf(List<String> header, ResultColumn column) {
        int cell = 0;
        for (int i = 0; i < header.size(); i++) {
            if (ResultColumn.fromHeader(header.get(i)) == column) {
                cell = i + 1; // the last one, as the reader keeps the last
            }
        }
        return cell;
    }

    /** What is done with each record of a CSV file: its header, the record and the line it starts on. */
    @FunctionalInterface
    interface RecordHandler {
        void accept(List<String> header, CSVRecord record, long line);
    }

    /**
     * Parses {@code file} with a header line: checks the header, then hands over every record that has as many
     * cells as the header. Every failure (missing file, broken quoting, short rows) becomes a
     * {@link CsvFormatException} with the file, and where there is one, the line and column.
     */
    static void parse(Path file, Consumer<List<String>> headerCheck, RecordHandler handler) {
        if (!Files.isRegularFile(file)) {
            throw new CsvFormatException(file, Files.exists(file) ? "is not a file" : "does not exist");
        }
        CSVParser parser = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            // Spreadsheets save "CSV UTF-8" with a byte-order mark, which would otherwise become part of the first
            // column's name (and the file would be "missing" its architecture column).
            r.mark(1);
            if (r.read() != '\uFEFF') {
                r.reset();
            }
            parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r);
            List<String> names = parser.getHeaderNames();
            if (names.isEmpty()) {
                throw new CsvFormatException(file, 1, 1, "the file is empty; expected a header line");
            }
            headerCheck.accept(names);
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                // The parser reads ahead in hasNext(), so the record's first line is known only before it.
                long line = parser.getCurrentLineNumber() + 1;
                if (!records.hasNext()) {
                    break;
                }
                CSVRecord rec = records.next();
                if (rec.size() == 1 && rec.get(0).isEmpty()) {
                    continue;
                }
                if (rec.size() != names.size()) {
                    throw new CsvFormatException(file, line, Math.min(rec.size(), names.size()) + 1, "expected "
                            + names.size() + " cells as in the header, found " + rec.size());
                }
                handler.accept(names, rec, line);
            }
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // Commons CSV signals broken quoting and duplicate or empty header names this way.
            throw CsvSyntax.locate(file, parser == null ? 1 : parser.getCurrentLineNumber(), rootMessage(e));
        } catch (IOException e) {
            throw new CsvFormatException(file, "cannot be read: " + e.getMessage());
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // the reader is closed by the try block; nothing is lost
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    // ------------------------------------------------------------------ history.csv

    public static void writeHistory(Path file, List<EpochRecord> epochs) {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HISTORY_HEADER).get())) {
                for (EpochRecord e : epochs) {
                    p.printRecord(e.epoch(), num(e.learningRate()), num(e.trainLoss()), num(e.trainAccuracy()),
                            num(e.valLoss()), num(e.valAccuracy()), num(e.seconds()), num(e.imagesPerSecond()));
                }
            }
        });
    }

    public static List<EpochRecord> readHistory(Path file) {
        List<EpochRecord> out = new ArrayList<>();
        parse(file, names -> {
            if (!names.equals(List.of(HISTORY_HEADER))) {
                throw new CsvFormatException(file, 1, 1, "expected the header " + String.join(",", HISTORY_HEADER)
                        + ", found " + String.join(",", names));
            }
        }, (names, rec, line) -> {
            double[] v = new double[HISTORY_HEADER.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = number(file, line, i + 1, HISTORY_HEADER[i], rec.get(i));
            }
            out.add(new EpochRecord((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
        });
        return out;
    }

    private static double number(Path file, long line, int column, String name, String cell) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new CsvFormatException(file, line, column, name + " must be a number, found '" + cell + "'");
        }
    }

    // ------------------------------------------------------------------ confusion.csv, per_class.csv

    /** Rows are the true class, columns the predicted one. */
    public static void writeConfusion(Path file, List<String> classNames, long[][] confusion) {
        AtomicFiles.writeText(file, w -> {
            List<String> header = new ArrayList<>();
            header.add("actual\\predicted");
            for (String c : classNames) {
                header.add(CsvCells.text(c));
            }
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader(header.toArray(new String[0])).get())) {
                for (int i = 0; i < confusion.length; i++) {
                    List<Object> cells = new ArrayList<>();
                    cells.add(CsvCells.text(classNames.get(i)));
                    for (long v : confusion[i]) {
                        cells.add(v);
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    /** The counts of confusion.csv; rows are the true class, columns the predicted one. */
    public static long[][] readConfusion(Path file) {
        return readConfusionMatrix(file).counts();
    }

    /** confusion.csv with its class names; the matrix must be square, with one row per class, in order. */
    public static ConfusionMatrix readConfusionMatrix(Path file) {
        List<String> classes = new ArrayList<>();
        List<long[]> rows = new ArrayList<>();
        parse(file, names -> {
            if (names.size() < 2) {
                throw new CsvFormatException(file, 1, 1, "expected a header 'actual\\predicted' followed by the"
                        + " class names, found " + String.join(",", names));
            }
            for (String name : names.subList(1, names.size())) {
                classes.add(CsvCells.readText(name));
            }
        }, (names, rec, line) -> {
            int i = rows.size();
            if (i >= classes.size()) {
                throw new CsvFormatException(file, line, 1, "more rows than the " + classes.size()
                        + " classes named in the header");
            }
            if (!CsvCells.readText(rec.get(0)).equals(classes.get(i))) {
                throw new CsvFormatException(file, line, 1, "expected the row of class '" + classes.get(i)
                        + "', found '" + CsvCells.readText(rec.get(0)) + "'");
            }
            long[] row = new long[classes.size()];
            for (int j = 0; j < row.length; j++) {
                try {
                    row[j] = Long.parseLong(rec.get(j + 1));
                } catch (NumberFormatException e) {
                    throw new CsvFormatException(file, line, j + 2, "expected a count of images, found '"
                            + rec.get(j + 1) + "'");
                }
                if (row[j] < 0) {
                    throw new CsvFormatException(file, line, j + 2, "a count cannot be negative: " + row[j]);
                }
            }
            rows.add(row);
        });
        if (rows.size() != classes.size()) {
            throw new CsvFormatException(file, rows.size() + 2, 1, "expected " + classes.size()
                    + " rows, one per class, found " + rows.size());
        }
        return new ConfusionMatrix(classes, rows.toArray(new long[0][]));
    }

    public static void writePerClass(Path file, List<String> classNames, long[][] confusion) {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader(PER_CLASS_HEADER).get())) {
                for (int i = 0; i < confusion.length; i++) {
                    long total = 0;
                    for (long v : confusion[i]) {
                        total += v;
                    }
                    p.printRecord(CsvCells.text(classNames.get(i)), confusion[i][i], total,
                            total == 0 ? "" : num((double) confusion[i][i] / total));
                }
            }
        });
    }

    /** per_class.csv: one accuracy per class, in class order. */
    public static List<ClassAccuracy> readPerClass(Path file) {
        List<ClassAccuracy> out = new ArrayList<>();
        parse(file, names -> {
            if (!names.equals(List.of(PER_CLASS_HEADER))) {
                throw new CsvFormatException(file, 1, 1, "expected the header "
                        + String.join(",", PER_CLASS_HEADER) + ", found " + String.join(",", names));
            }
        }, (names, rec, line) -> {
            double correct = number(file, line, 2, "correct", rec.get(1));
            double total = number(file, line, 3, "total", rec.get(2));
            double accuracy = rec.get(3).isEmpty() ? Double.NaN : number(file, line, 4, "accuracy", rec.get(3));
            out.add(new ClassAccuracy(CsvCells.readText(rec.get(0)), (long) correct, (long) total, accuracy));
        });
        return out;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v).trim();
    }
}
