package io.cnnbench.reports;

import io.cnnbench.api.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The run's data files, written atomically with Commons CSV and read back with errors that point at the
 * file, line and column: {@code results.csv}, {@code <architecture>/history.csv},
 * {@code <architecture>/confusion.csv} and {@code <architecture>/per_class.csv}.
 */
public final class RunFiles {
    public static final String RESULTS = "results.csv";
    public static final String HISTORY = "history.csv";
    public static final String CONFUSION = "confusion.csv";
    public static final String PER_CLASS = "per_class.csv";
    static final String[] HISTORY_HEADER = {"epoch", "lr", "train_loss", "train_accuracy", "val_loss",
        "val_accuracy", "seconds", "images_per_second"};

    private RunFiles() {
    }

    /**
     * Where one training run's files live: {@code <out>/<architecture>/} for a single seed, and
     * {@code <out>/<architecture>/seed-<seed>/} when several seeds were run.
     */
    public static Path runDirectory(Path out, String architecture, long seed, boolean severalSeeds) {
        Path dir = out.resolve(architecture);
        return severalSeeds ? dir.resolve("seed-" + seed) : dir;
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
                        cells.add(r.get(c));
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    /** Reads results.csv; unknown columns are ignored (newer writers), missing ones read as empty. */
    public static List<ResultRow> readResults(Path file) {
        List<ResultRow> rows = new ArrayList<>();
        try (Reader r = reader(file); CSVParser parser = CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).get().parse(r)) {
            List<String> names = parser.getHeaderNames();
            if (!names.contains(ResultColumn.ARCHITECTURE.header())) {
                throw new CsvFormatException(file, 1, 1, "not a results file: the header has no 'architecture'"
                        + " column (found " + names + ")");
            }
            for (CSVRecord rec : parser) {
                if (!rec.isConsistent()) {
                    throw new CsvFormatException(file, rec.getRecordNumber() + 1, rec.size() + 1, "expected "
                            + names.size() + " cells, found " + rec.size());
                }
                ResultRow row = new ResultRow();
                for (int i = 0; i < names.size(); i++) {
                    ResultColumn c = ResultColumn.fromHeader(names.get(i));
                    if (c != null) {
                        row.set(c, rec.get(i));
                        checkNumeric(file, rec.getRecordNumber() + 1, i + 1, c, rec.get(i));
                    }
                }
                if (row.architecture().isEmpty()) {
                    throw new CsvFormatException(file, rec.getRecordNumber() + 1,
                            names.indexOf(ResultColumn.ARCHITECTURE.header()) + 1, "empty architecture name");
                }
                rows.add(row);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CsvFormatException(file, "cannot be read as CSV: " + e.getMessage());
        }
        return rows;
    }

    private static void checkNumeric(Path file, long line, int column, ResultColumn c, String v) {
        boolean text = c == ResultColumn.ARCHITECTURE || c == ResultColumn.STATUS || c == ResultColumn.MESSAGE
                || c == ResultColumn.DEVICE || c == ResultColumn.ONNX_FILE;
        if (text || v.isEmpty()) {
            return;
        }
        try {
            Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CsvFormatException(file, line, column, "column " + c.header() + " must be a number, found '"
                    + v + "'");
        }
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
        try (Reader r = reader(file); CSVParser parser = CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).get().parse(r)) {
            if (!parser.getHeaderNames().equals(List.of(HISTORY_HEADER))) {
                throw new CsvFormatException(file, 1, 1, "expected the header " + String.join(",", HISTORY_HEADER)
                        + ", found " + String.join(",", parser.getHeaderNames()));
            }
            for (CSVRecord rec : parser) {
                long line = rec.getRecordNumber() + 1;
                if (rec.size() != HISTORY_HEADER.length) {
                    throw new CsvFormatException(file, line, rec.size() + 1, "expected " + HISTORY_HEADER.length
                            + " cells, found " + rec.size());
                }
                double[] v = new double[HISTORY_HEADER.length];
                for (int i = 0; i < v.length; i++) {
                    try {
                        v[i] = Double.parseDouble(rec.get(i));
                    } catch (NumberFormatException e) {
                        throw new CsvFormatException(file, line, i + 1, HISTORY_HEADER[i] + " must be a number, found '"
                                + rec.get(i) + "'");
                    }
                }
                out.add(new EpochRecord((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
            }
        } catch (IOException e) {
            throw new CsvFormatException(file, "cannot be read as CSV: " + e.getMessage());
        }
        return out;
    }

    // ------------------------------------------------------------------ confusion.csv, per_class.csv

    /** Rows are the true class, columns the predicted one. */
    public static void writeConfusion(Path file, List<String> classNames, long[][] confusion) {
        AtomicFiles.writeText(file, w -> {
            List<String> header = new ArrayList<>();
            header.add("actual\\predicted");
            header.addAll(classNames);
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader(header.toArray(new String[0])).get())) {
                for (int i = 0; i < confusion.length; i++) {
                    List<Object> cells = new ArrayList<>();
                    cells.add(classNames.get(i));
                    for (long v : confusion[i]) {
                        cells.add(v);
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    public static long[][] readConfusion(Path file) {
        List<long[]> rows = new ArrayList<>();
        try (Reader r = reader(file); CSVParser parser = CSVFormat.DEFAULT.builder().setHeader()
                .setSkipHeaderRecord(true).get().parse(r)) {
            int n = parser.getHeaderNames().size() - 1;
            for (CSVRecord rec : parser) {
                long[] row = new long[n];
                for (int j = 0; j < n; j++) {
                    try {
                        row[j] = Long.parseLong(rec.get(j + 1));
                    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                        throw new CsvFormatException(file, rec.getRecordNumber() + 1, j + 2,
                                "expected a count: " + e.getMessage());
                    }
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new CsvFormatException(file, "cannot be read as CSV: " + e.getMessage());
        }
        return rows.toArray(new long[0][]);
    }

    public static void writePerClass(Path file, List<String> classNames, long[][] confusion) {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader("class", "correct", "total", "accuracy").get())) {
                for (int i = 0; i < confusion.length; i++) {
                    long total = 0;
                    for (long v : confusion[i]) {
                        total += v;
                    }
                    p.printRecord(classNames.get(i), confusion[i][i], total,
                            total == 0 ? "" : num((double) confusion[i][i] / total));
                }
            }
        });
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v).trim();
    }

    private static Reader reader(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file: " + file, e);
        }
    }
}
