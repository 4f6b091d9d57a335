package io.cnnbench.reports;

import io.cnnbench.reports.HtmlTable.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sections that judge this run against a reference: the change against the baseline, and the gate's verdict. */
final class VerdictSections {
    private final ReportPage page;

    VerdictSections(ReportPage page) {
        this.page = page;
    }

    /** One baseline comparison row: an architecture of this run, of the baseline, or of both. */
    private record Row(String name, ArchitectureStats now, ArchitectureStats base) {
        Statistic nowAccuracy() {
            return now == null ? Statistic.NONE : now.testAccuracy();
        }

        Statistic baseAccuracy() {
            return base == null ? Statistic.NONE : base.testAccuracy();
        }

        boolean comparable() {
            return nowAccuracy().present() && baseAccuracy().present();
        }

        double delta() {
            return nowAccuracy().mean() - baseAccuracy().mean();
        }
    }

    void baseline() {
        if (page.baselineName == null) {
            return;
        }
        StringBuilder html = page.html;
        html.append("<section id=\"baseline\">\n<h2>Against the baseline <code>").append(Html.esc(page.baselineName))
                .append("</code></h2>\n");
        if (page.baselineSummary == null) {
            html.append("<p class=\"warning\">The baseline file does not exist yet.</p>\n</section>\n");
            return;
        }
        Set<String> names = new LinkedHashSet<>(page.summary.architectureNames());
        names.addAll(page.baselineSummary.architectureNames());
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            rows.add(new Row(name, page.summary.get(name), page.baselineSummary.get(name)));
        }
        HtmlTable<Row> table = new HtmlTable<Row>("baseline-table")
                .name("Architecture", r -> Cell.text(r.name()))
                .column("Baseline test accuracy",
                        r -> Cell.text(r.base() == null ? "not in baseline" : Html.meanStd(r.baseAccuracy(), 4)))
                .column("This run", r -> Cell.text(r.now() == null ? "not run" : Html.meanStd(r.nowAccuracy(), 4)))
                .column("Δ", r -> r.comparable()
                        ? Cell.text(Html.signed(r.delta()), page.deltaClass(r.name(), r.delta()))
                        : Cell.text(Html.NONE, "delta-flat"));
        html.append(table.render(rows)).append('\n');
        List<Map<String, Object>> items = new ArrayList<>();
        for (Row r : rows) {
            if (r.comparable()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", r.name());
                item.put("delta", r.delta());
                item.put("failed", page.gateFailed(r.name()));
                items.add(item);
            }
        }
        if (!items.isEmpty()) {
            page.chart("baseline-delta", "", Map.of("kind", "delta", "title",
                    "Change in test accuracy against the baseline", "items", items));
        }
        html.append("</section>\n");
    }

    void gate() {
        BaselineGate.Result gate = page.gate;
        if (gate == null) {
            return;
        }
        StringBuilder html = page.html;
        html.append("<section id=\"gate\">\n<h2>Gate: ").append(gate.passed()
                ? "<span class=\"gate-passed\">passed</span>" : "<span class=\"gate-failed\">failed</span>")
                .append("</h2>\n<ul class=\"notes\">\n");
        for (Violation v : gate.violations()) {
            item(html, "gate-failed", v.message());
        }
        for (String line : gate.checked()) {
            if (line.endsWith(": ok")) {
                item(html, "gate-passed", line);
            }
        }
        for (String w : gate.warnings()) {
            item(html, "warning", w);
        }
        html.append("</ul>\n</section>\n");
    }

    static void item(StringBuilder html, String cssClass, String text) {
        html.append("<li class=\"").append(cssClass).append("\">").append(Html.esc(text)).append("</li>\n");
    }
}
