package io.cnnbench.reports;

import io.cnnbench.api.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Results grouped by architecture, in the order architectures first appear, with mean and sample standard
 * deviation over each architecture's seeds. {@code summary.csv}, written next to {@code results.csv}, holds one
 * line per architecture: {@code architecture, runs, ok_runs, seeds}, then {@code <column>_mean} and
 * {@code <column>_std} for every numeric column of results.csv.
 */
public final class Summary {
    public static final String FILE = "summary.csv";
    static final String RUNS = "runs";
    static final String OK_RUNS = "ok_runs";
    static final String SEEDS = "seeds";
    static final String MEAN_SUFFIX = "_mean";
    static final String STD_SUFFIX = "_std";

    private final Map<String, ArchitectureStats> byArchitecture;

    private Summary(Map<String, ArchitectureStats> byArchitecture) {
        this.byArchitecture = byArchitecture;
    }

    public static Summary of(List<ResultRow> rows) {
        Map<String, List<ResultRow>> grouped = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            grouped.computeIfAbsent(r.architecture(), k -> new ArrayList<>()).add(r);
        }
        Map<String, ArchitectureStats> stats = new LinkedHashMap<>();
        grouped.forEach((name, runs) -> stats.put(name, new ArchitectureStats(name, runs)));
        return new Summary(Collections.unmodifiableMap(stats));
    }

    public List<ArchitectureStats> architectures() {
        return List.copyOf(byArchitecture.values());
    }

    public List<String> architectureNames() {
        return List.copyOf(byArchitecture.keySet());
    }

    /** The statistics of one architecture, or {@code null} when no row names it. */
    public ArchitectureStats get(String architecture) {
        return byArchitecture.get(architecture);
    }

    public boolean isEmpty() {
        return byArchitecture.isEmpty();
    }

    /** Columns of summary.csv that carry a mean and a standard deviation: the numeric ones except the seed. */
    static List<ResultColumn> summarisedColumns() {
        List<ResultColumn> columns = new ArrayList<>();
        for (ResultColumn c : ResultColumn.values()) {
            if (c.numeric() && c != ResultColumn.SEED) {
                columns.add(c);
            }
        }
        return columns;
    }

    static List<String> header() {
        List<String> header = new ArrayList<>(List.of(ResultColumn.ARCHITECTURE.header(), RUNS, OK_RUNS, SEEDS));
        for (ResultColumn c : summarisedColumns()) {
            header.add(c.header() + MEAN_SUFFIX);
            header.add(c.header() + STD_SUFFIX);
        }
        return header;
    }

    /** Writes summary.csv atomically. A standard deviation over fewer than two seeds is left empty. */
    public void write(Path file) {
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                    .setHeader(header().toArray(new String[0])).get())) {
                for (ArchitectureStats a : byArchitecture.values()) {
                    List<String> cells = new ArrayList<>();
                    cells.add(CsvCells.text(a.architecture()));
                    cells.add(Integer.toString(a.runs().size()));
                    cells.add(Integer.toString(a.okRuns().size()));
                    cells.add(CsvCells.text(String.join(" ", a.seeds())));
                    for (ResultColumn c : summarisedColumns()) {
                        Statistic s = a.statistic(c);
                        cells.add(number(s.mean()));
                        cells.add(number(s.std()));
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    /** Whole numbers (parameter and MAC counts) in full; others to six significant digits; NaN as empty. */
    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return RunFiles.num(v);
    }

    /**
     * Reads summary.csv as one results row per architecture holding the means, which is what a baseline needs;
     * an architecture none of whose runs succeeded reads as a failed row.
     */
    public static List<ResultRow> readAsRows(Path file) {
        return readAsRows(file, (row, line, header) -> {
        });
    }

    /** As {@link #readAsRows(Path)}, handing every row to {@code check} as it is read, with its line. */
    static List<ResultRow> readAsRows(Path file, RunFiles.RowCheck check) {
        List<ResultRow> rows = new ArrayList<>();
        RunFiles.parse(file, names -> {
            for (String required : List.of(ResultColumn.ARCHITECTURE.header(), OK_RUNS,
                    ResultColumn.TEST_ACCURACY.header() + MEAN_SUFFIX)) {
                if (!names.contains(required)) {
                    throw new CsvFormatException(file, 1, 1, "not a summary file: the header has no '" + required
                            + "' column (found " + String.join(",", names) + ")");
                }
            }
        }, (names, rec, line) -> {
            ResultRow row = new ResultRow();
            int okRuns = 0;
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                String cell = rec.get(i);
                if (name.equals(ResultColumn.ARCHITECTURE.header())) {
                    cell = CsvCells.readText(cell);
                    if (cell.isEmpty()) {
                        throw new CsvFormatException(file, line, i + 1, "empty architecture name");
                    }
                    row.set(ResultColumn.ARCHITECTURE, cell);
                } else if (name.equals(OK_RUNS)) {
                    try {
                        okRuns = Integer.parseInt(cell);
                    } catch (NumberFormatException e) {
                        throw new CsvFormatException(file, line, i + 1, "ok_runs must be a whole number, found '"
                                + cell + "'");
                    }
                } else if (name.endsWith(MEAN_SUFFIX)) {
                    ResultColumn c = ResultColumn.fromHeader(name.substring(0, name.length() - MEAN_SUFFIX.length()));
                    if (c != null && c.numeric()) {
                        RunFiles.checkNumeric(file, line, i + 1, c, cell);
                        row.set(c, cell);
                    }
                } else if (name.endsWith(STD_SUFFIX)) {
                    ResultColumn c = ResultColumn.fromHeader(name.substring(0, name.length() - STD_SUFFIX.length()));
                    if (c != null && c.numeric()) {
                        RunFiles.checkNumeric(file, line, i + 1, c, cell);
                        if (!cell.isEmpty() && !(Double.parseDouble(cell) >= 0)) {
                            // NaN and negative: a standard deviation is neither, and this file never writes them.
                            throw new CsvFormatException(file, line, i + 1, name + " must be a standard deviation"
                                    + " (a finite number >= 0, or empty), found '" + cell + "'; fix the cell, or"
                                    + " rewrite the baseline with -Dcnn.updateBaseline=true");
                        }
                    }
                }
            }
            row.set(ResultColumn.STATUS, okRuns > 0 ? ResultRow.OK : ResultRow.FAILED);
            check.check(row, line, names);
            rows.add(row);
        });
        return rows;
    }
}
