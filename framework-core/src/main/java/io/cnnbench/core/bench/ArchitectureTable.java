package io.cnnbench.core.bench;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.reports.CsvCells;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The architecture listing of {@code cnn:list} as data, for scripts: one row per architecture with its size,
 * input, classes and whether a run benchmarks it by default, written as CSV (Commons CSV, text cells guarded
 * against spreadsheet formulas by {@link CsvCells}) or JSON (an array of objects with the same keys).
 */
public final class ArchitectureTable {

    /** The columns, in order; the JSON keys are the same. */
    public static final List<String> COLUMNS = List.of("name", "trainable_params", "macs", "input_channels",
            "input_height", "input_width", "num_classes", "fits_cifar", "tail", "block", "head", "description",
            "paper");

    /**
     * One architecture.
     *
     * @param fitsCifar whether it takes the images and classes of the run's CIFAR-10 data, i.e. whether
     *                  {@code cnn:benchmark} trains it when no architectures are named
     */
    public record Row(String name, long trainableParams, long macs, int inputChannels, int inputHeight,
                      int inputWidth, int numClasses, boolean fitsCifar, String tail, String block, String head,
                      String description, String paper) {

        /** The row's cells as text, in {@link #COLUMNS} order (numbers and booleans as Java writes them). */
        public List<String> cells() {
            return List.of(name, Long.toString(trainableParams), Long.toString(macs), Integer.toString(inputChannels),
                    Integer.toString(inputHeight), Integer.toString(inputWidth), Integer.toString(numClasses),
                    Boolean.toString(fitsCifar), tail, block, head, description, paper);
        }
    }

    private ArchitectureTable() {
    }

    /**
     * The rows for a listing. With architectures named in the configuration, exactly those; otherwise every
     * registered architecture (also those not benchmarked by default, which have {@code fits_cifar} false) and
     * every composition. The user's options are checked and applied as for a run
     * ({@link BenchmarkRunner#selectedArchitectures()}); every network is built to count its parameters.
     */
    public static List<Row> rows(ProviderRegistry registry, BenchmarkRunner runner, boolean namedOnly) {
        List<ArchitectureSpec> selected = runner.selectedArchitectures();
        List<ArchitectureSpec> specs = new ArrayList<>();
        if (namedOnly) {
            specs.addAll(selected);
        } else {
            Map<String, ArchitectureSpec> byName = new LinkedHashMap<>();
            selected.forEach(s -> byName.put(s.name(), s));
            for (ArchitectureProvider p : registry.architectures()) {
                ArchitectureSpec s = byName.remove(p.name());
                specs.add(s != null ? s : p.spec());
            }
            specs.addAll(byName.values()); // compositions
        }
        List<Row> rows = new ArrayList<>();
        for (ArchitectureSpec s : specs) {
            Graph g = registry.build(s);
            rows.add(new Row(s.name(), g.trainableParameters(), g.macs(), s.inputShape().channels(),
                    s.inputShape().height(), s.inputShape().width(), s.numClasses(), runner.fitsTheData(s), s.tail(),
                    s.block(), s.head(), s.description(), s.paper()));
        }
        return rows;
    }

    /** The rows as CSV with a header line. */
    public static String csv(List<Row> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader(COLUMNS.toArray(String[]::new)).get())) {
            for (Row r : rows) {
                List<String> cells = new ArrayList<>(r.cells());
                for (int i : new int[] {0, 8, 9, 10, 11, 12}) { // the text columns
                    cells.set(i, CsvCells.text(cells.get(i)));
                }
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The rows as a JSON array of objects keyed by {@link #COLUMNS}; numbers and booleans unquoted. */
    public static String json(List<Row> rows) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            List<String> cells = r.cells();
            out.append(i == 0 ? "\n  {" : ",\n  {");
            for (int c = 0; c < COLUMNS.size(); c++) {
                out.append(c == 0 ? "" : ", ");
                string(COLUMNS.get(c), out);
                out.append(": ");
                boolean literal = c >= 1 && c <= 7; // numbers and fits_cifar
                if (literal) {
                    out.append(cells.get(c));
                } else {
                    string(cells.get(c), out);
                }
            }
            out.append('}');
        }
        return out.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == '\u2028' || ch == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }
}
