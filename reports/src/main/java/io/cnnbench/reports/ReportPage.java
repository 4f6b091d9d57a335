package io.cnnbench.reports;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One rendering of {@code report.html}: the page's skeleton (head with the inlined style sheet and error hook,
 * header and navigation, the sections in order, the render-status marker, ECharts, the JSON blob and the drawing
 * script) and what the sections share: the inputs, the markup being built, the charts and the notes.
 */
final class ReportPage {
    /** Differences in accuracy smaller than this show as unchanged: they are below one image in 2,000. */
    private static final double FLAT = 0.0005;

    final MergedResults merged;
    final Summary summary;
    final Summary baselineSummary;
    final String baselineName;
    final Environment env;
    final BaselineGate.Result gate;
    final List<String> notes;
    /** The history file's name, or {@code null} when the report shows no history. */
    final String historyName;
    /** The history's entries, or {@code null} when the file does not exist yet. */
    final List<HistoryEntry> history;
    final StringBuilder html = new StringBuilder(1 << 16);
    final Charts charts = new Charts();

    /** @param refused why the build's gate would not judge at all (a missing baseline, results of several runs) */
    ReportPage(MergedResults merged, List<ResultRow> baseline, String baselineName, Environment env,
               List<GateRule> rules, GateScope scope, List<Violation> refused, List<String> notes, String historyName,
               List<HistoryEntry> history) {
        this.merged = merged;
        this.summary = Summary.of(merged.rows());
        this.baselineSummary = baseline == null ? null : Summary.of(baseline);
        this.baselineName = baselineName;
        this.env = env;
        this.gate = rules.isEmpty() ? null : BaselineGate.check(merged.rows(), baseline, baselineName, rules, scope)
                .withEarlier(earlierViolations(refused, merged, scope));
        this.notes = notes;
        this.historyName = historyName;
        this.history = history;
    }

    /**
     * The refusals, and the pairs read twice, as cnn:check refuses them: the report shows the later row, but its
     * verdict must not pass where the build's gate would refuse to judge. A pair is listed once, as its
     * architecture's failure.
     */
    private static List<Violation> earlierViolations(List<Violation> refused, MergedResults merged, GateScope scope) {
        List<Violation> duplicates = merged.duplicates().stream().filter(d -> scope.includes(d.architecture()))
                .map(d -> new Violation(d.architecture(), Violation.Kind.DUPLICATE_RESULT, Double.NaN, Double.NaN,
                        d.refusal()))
                .toList();
        List<Violation> earlier = new ArrayList<>();
        for (Violation v : refused) {
            if (duplicates.stream().noneMatch(d -> d.message().equals(v.message()))) {
                earlier.add(v);
            }
        }
        earlier.addAll(duplicates);
        return earlier;
    }

    String render() {
        PageAssets.ECharts echarts = PageAssets.echarts();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"cnnbench cnn-reports, ECharts ")
                .append(Html.esc(echarts.version())).append("\">\n")
                .append("<title>CNN benchmark report</title>\n<style>\n").append(PageAssets.own("report.css"))
                .append("</style>\n").append(PageAssets.script(PageAssets.own("errors.js")))
                .append("</head>\n<body>\n");
        header();
        new ComparisonSection(this).render();
        new VerdictSections(this).baseline();
        new VerdictSections(this).gate();
        new HistorySection(this).render();
        for (int i = 0; i < summary.architectures().size(); i++) {
            new ArchitectureSection(this, i, summary.architectures().get(i)).render();
        }
        new EnvironmentSection(this).environment();
        new EnvironmentSection(this).notes();
        html.append("<div id=\"").append(HtmlReport.STATUS_ELEMENT_ID)
                .append("\" data-state=\"pending\" data-charts=\"0\"")
                .append(" data-expected=\"").append(charts.count()).append("\" data-errors=\"0\">")
                .append("Charts need JavaScript; the tables above hold the same numbers.</div>\n");
        html.append("<!-- Apache ECharts ").append(Html.esc(echarts.version()))
                .append(", Apache License 2.0, https://echarts.apache.org -->\n")
                .append(PageAssets.script(echarts.script()));
        html.append("<script type=\"application/json\" id=\"cnn-data\">").append(Json.write(charts.data()))
                .append("</script>\n");
        html.append(PageAssets.script(PageAssets.own("report.js"))).append("</body>\n</html>\n");
        return html.toString();
    }

    private void header() {
        String now = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        int architectures = summary.architectures().size();
        int runs = merged.runs().size();
        html.append("<header>\n<h1>CNN benchmark report</h1>\n<p class=\"meta\">")
                .append(architectures).append(" architecture").append(architectures == 1 ? "" : "s").append(", ")
                .append(runs).append(" run").append(runs == 1 ? "" : "s").append(" from ");
        List<String> dirs = new ArrayList<>();
        for (Path d : merged.directories()) {
            dirs.add("<code>" + Html.esc(d.toString()) + "</code>");
        }
        html.append(String.join(", ", dirs)).append(". Generated ").append(Html.esc(now));
        if (env != null && env.get(Environment.GIT_COMMIT) != null) {
            html.append(" at commit <code>").append(Html.esc(env.get(Environment.GIT_COMMIT))).append("</code>");
        }
        html.append(".</p>\n<nav><a href=\"#comparison\">Comparison</a>");
        if (baselineName != null) {
            html.append("<a href=\"#baseline\">Baseline</a>");
        }
        if (gate != null) {
            html.append("<a href=\"#gate\">Gate</a>");
        }
        if (historyName != null) {
            html.append("<a href=\"#history\">History</a>");
        }
        for (int i = 0; i < architectures; i++) {
            html.append("<a href=\"#arch-").append(i).append("\">")
                    .append(Html.esc(summary.architectures().get(i).architecture())).append("</a>");
        }
        html.append("<a href=\"#environment\">Environment</a></nav>\n</header>\n");
    }

    // ------------------------------------------------------------------ shared by the sections

    /** Adds a chart's container to the markup and its spec to the data blob. */
    void chart(String id, String cssClass, Map<String, Object> spec) {
        html.append(charts.add(id, cssClass, spec));
    }

    /** A placeholder where a chart would be, saying why there is none. */
    void missing(String text) {
        html.append("<div class=\"missing\">").append(Html.esc(text)).append("</div>\n");
    }

    boolean gateFailed(String architecture) {
        return gate != null && gate.violations().stream().anyMatch(v -> v.architecture().equals(architecture));
    }

    /** Green for a gain, red for a loss (and for any architecture the gate failed), grey for no change. */
    String deltaClass(String architecture, double delta) {
        if (gateFailed(architecture) || delta < -FLAT) {
            return "delta-down";
        }
        return delta > FLAT ? "delta-up" : "delta-flat";
    }
}
