package io.cnnbench.reports;

import io.cnnbench.api.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The run's {@code report.html}: one self-contained file that opens offline. Tables are plain HTML (readable
 * without JavaScript); charts are drawn by ECharts, whose minified script is read from its WebJar on the class
 * path and inlined, from a JSON blob in the page. Sections: the comparison of architectures with an
 * accuracy-versus-MACs chart, the change against a baseline, the gate's verdict, the history across commits (when
 * a history file is given), per architecture the training curves, confusion matrix and per-class accuracy, and
 * the environment each result directory was produced in.
 *
 * <p>The page records whether its charts rendered in {@code <div id="cnn-render-status" data-state="done"
 * data-charts="N" data-expected="N" data-errors="0">}, for headless-browser checks.
 *
 * <p>This class is the entry point: it loads the results and the baseline. {@link ReportPage} lays out the page,
 * one class per section builds that section ({@link ComparisonSection}, {@link VerdictSections}, {@link HistorySection},
 * {@link ArchitectureSection}, {@link EnvironmentSection}), {@link HtmlTable} builds tables from columns declared
 * once, {@link Charts} pairs chart containers with their data, {@link Html} escapes and formats, and
 * {@link PageAssets} reads what is inlined.
 */
public final class HtmlReport {
    public static final String FILE = "report.html";
    /** The id of the element where the page reports how many charts it drew and which errors occurred. */
    public static final String STATUS_ELEMENT_ID = "cnn-render-status";

    private HtmlReport() {
    }

    /**
     * Writes the report of the results in {@code resultDirs} (merged when there are several) atomically to
     * {@code outputHtml}.
     *
     * @param baselineOrNull a baseline CSV to compare with; a path that does not exist yet is noted, not an error
     * @param env            the environment of the run that produced the results, or {@code null} to show only
     *                       each directory's environment.properties
     * @return {@code outputHtml}
     * @throws CsvFormatException if a results file or the baseline is malformed
     */
    public static Path write(Path outputHtml, List<Path> resultDirs, Path baselineOrNull, Environment env) {
        return write(outputHtml, resultDirs, baselineOrNull, env, List.of());
    }

    /** As {@link #write(Path, List, Path, Environment)}, also showing the verdict of the gate's rules. */
    public static Path write(Path outputHtml, List<Path> resultDirs, Path baselineOrNull, Environment env,
                             List<GateRule> rules) {
        return write(outputHtml, resultDirs, baselineOrNull, env, rules, GateScope.ALL);
    }

    /**
     * As {@link #write(Path, List, Path, Environment, List)}, with the gate judged for {@code scope} exactly as the
     * build judged it, so the report never shows a verdict the build did not reach.
     */
    public static Path write(Path outputHtml, List<Path> resultDirs, Path baselineOrNull, Environment env,
                             List<GateRule> rules, GateScope scope) {
        return write(outputHtml, resultDirs, baselineOrNull, env, rules, scope, null);
    }

    /**
     * As {@link #write(Path, List, Path, Environment, List, GateScope)}, also showing the history across commits
     * from {@code historyOrNull} (a {@link History#FILE}): per architecture, test accuracy over the entries, and
     * the commits that moved it. A path that does not exist yet, or a file that cannot be read as a history, is
     * noted on the page and not charted, not an error: the chart is not the run's evidence.
     */
    public static Path write(Path outputHtml, List<Path> resultDirs, Path baselineOrNull, Environment env,
                             List<GateRule> rules, GateScope scope, Path historyOrNull) {
        return write(outputHtml, resultDirs, baselineOrNull, env, rules, scope, historyOrNull, merged -> List.of());
    }

    /**
     * As {@link #write(Path, List, Path, Environment, List, GateScope, Path)}, with the gate failed by each refusal
     * that {@code refusals} finds in the merged results: why the build's gate would not judge them at all.
     */
    public static Path write(Path outputHtml, List<Path> resultDirs, Path baselineOrNull, Environment env,
                             List<GateRule> rules, GateScope scope, Path historyOrNull,
                             Function<MergedResults, List<String>> refusals) {
        return write(outputHtml, MergedResults.load(resultDirs), baselineOrNull, env, rules, scope, historyOrNull,
                refusals);
    }

    /**
     * As {@link #write(Path, List, Path, Environment, List, GateScope, Path, Function)}, for results the caller has
     * already loaded (cnn:report and cnn:benchmark write summary.csv from the same ones).
     */
    public static Path write(Path outputHtml, MergedResults merged, Path baselineOrNull, Environment env,
                             List<GateRule> rules, GateScope scope, Path historyOrNull,
                             Function<MergedResults, List<String>> refusals) {
        List<String> notes = new ArrayList<>(merged.notes());
        List<Violation> refused = new ArrayList<>();
        for (String refusal : refusals.apply(merged)) {
            refused.add(new Violation("*", Violation.Kind.REFUSED_RESULTS, Double.NaN, Double.NaN, refusal));
        }
        List<ResultRow> baseline = null;
        String baselineName = null;
        if (baselineOrNull != null) {
            baselineName = baselineOrNull.getFileName().toString();
            if (Files.exists(baselineOrNull)) {
                baseline = Baseline.read(baselineOrNull);
            } else {
                notes.add("the baseline " + baselineOrNull + " does not exist yet; create it with"
                        + " -Dcnn.updateBaseline=true");
                // The build's gate refuses to run without it, whatever the rules ask of the baseline.
                refused.add(new Violation("*", Violation.Kind.MISSING_BASELINE, Double.NaN, Double.NaN,
                        Baseline.doesNotExist(baselineOrNull)));
            }
        }
        List<HistoryEntry> history = null;
        String historyName = null;
        if (historyOrNull != null) {
            historyName = historyOrNull.getFileName().toString();
            if (Files.exists(historyOrNull)) {
                try {
                    history = History.read(historyOrNull);
                } catch (CsvFormatException e) {
                    // The chart is the history's, not the run's evidence: a damaged file costs the chart, not the
                    // page. A goal that appends to it fails the build over it (cnn:benchmark, cnn:report's merge).
                    notes.add("the history " + historyOrNull + " is unreadable, so accuracy over commits is not"
                            + " charted: " + e.getMessage());
                    historyName = null; // no history section: it would say the file does not exist
                }
            } else {
                notes.add("the history " + historyOrNull + " does not exist yet");
            }
        }
        String html = new ReportPage(merged, baseline, baselineName, env, rules, scope, refused, notes, historyName,
                history).render();
        AtomicFiles.writeString(outputHtml, html);
        return outputHtml;
    }

    /** HTML-encodes text; see {@link Html#esc}. */
    static String esc(String s) {
        return Html.esc(s);
    }
}
