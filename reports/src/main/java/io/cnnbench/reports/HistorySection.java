package io.cnnbench.reports;

import io.cnnbench.reports.HtmlTable.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history across commits ({@code cnn-history.csv}): per architecture, the mean test accuracy of each entry in
 * file order, with the band the previous entry allows shaded, and the commits that moved the accuracy out of it.
 *
 * <p>The band of entry i is what the gate's default rule ({@link GateRule#DEFAULT_BASELINE_RULE}) would allow
 * entry i if entry i - 1 were its baseline: the previous mean, minus the allowed drop and plus the allowed rise,
 * each the larger of the rule's limit and 3 standard errors of the difference ({@link ChangeTolerance}). An entry
 * outside its band "moved the accuracy": it is drawn with another symbol and colour and listed in a table under the
 * chart.
 */
final class HistorySection {
    static final GateRule RULE = GateRule.DEFAULT_BASELINE_RULE;

    private final ReportPage page;

    HistorySection(ReportPage page) {
        this.page = page;
    }

    /** One point of an architecture's history and the band its predecessor allows ({@code NaN} for the first). */
    private record Point(HistoryEntry entry, HistoryEntry previous, double low, double high) {
        boolean moved() {
            return previous != null && (entry.meanTestAccuracy() < low || entry.meanTestAccuracy() > high);
        }
    }

    void render() {
        if (page.historyName == null) {
            return;
        }
        StringBuilder html = page.html;
        html.append("<section id=\"history\">\n<h2>History across commits <code>").append(Html.esc(page.historyName))
                .append("</code></h2>\n");
        if (page.history == null) {
            html.append("<p class=\"warning\">The history file does not exist yet.</p>\n</section>\n");
            return;
        }
        if (page.history.isEmpty()) {
            html.append("<p class=\"muted\">The history file has no entries yet.</p>\n</section>\n");
            return;
        }
        html.append("<p class=\"muted\">Mean test accuracy of each benchmark run in the history, in file order, one"
                + " chart per architecture and protocol (fingerprint): runs under other settings are never compared."
                + " The shaded band is what the gate's default rule allows against the previous entry: its mean"
                + " minus " + RULE.maxDrop() + " and plus " + RULE.maxRise() + ", widened to " + RULE.stdDevs().intValue()
                + " standard errors of the difference where the seeds are noisier. Entries outside it are marked and"
                + " listed as commits that moved accuracy.</p>\n");
        // One series per architecture and protocol: a run with other epochs or data is another quantity.
        Map<String, List<HistoryEntry>> byArchitecture = new LinkedHashMap<>();
        for (HistoryEntry e : page.history) {
            String key = e.fingerprint().isEmpty() ? e.architecture() : e.architecture() + " (protocol "
                    + e.fingerprint() + ")";
            byArchitecture.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        int index = 0;
        for (Map.Entry<String, List<HistoryEntry>> a : byArchitecture.entrySet()) {
            architecture(index++, a.getKey(), points(a.getValue()));
        }
        html.append("</section>\n");
    }

    private static List<Point> points(List<HistoryEntry> entries) {
        List<Point> points = new ArrayList<>();
        HistoryEntry previous = null;
        for (HistoryEntry e : entries) {
            double low = Double.NaN;
            double high = Double.NaN;
            if (previous != null) {
                ChangeTolerance tolerance = ChangeTolerance.of(statistic(previous), statistic(e));
                low = previous.meanTestAccuracy() - tolerance.allowed(RULE.maxDrop(), RULE.stdDevs());
                high = previous.meanTestAccuracy() + tolerance.allowed(RULE.maxRise(), RULE.stdDevs());
            }
            points.add(new Point(e, previous, low, high));
            previous = e;
        }
        return points;
    }

    private void architecture(int index, String name, List<Point> points) {
        StringBuilder html = page.html;
        html.append("<h3>").append(Html.esc(name)).append("</h3>\n");
        List<String> labels = new ArrayList<>();
        List<Map<String, Object>> data = new ArrayList<>();
        for (Point p : points) {
            HistoryEntry e = p.entry();
            labels.add(e.shortCommit() + " " + e.date().toString().substring(0, 10));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mean", e.meanTestAccuracy());
            d.put("std", e.stdTestAccuracy());
            d.put("seeds", e.seeds());
            d.put("commit", e.commit());
            d.put("branch", e.branch());
            d.put("date", e.date().toString());
            d.put("runId", e.runId());
            d.put("low", p.low());
            d.put("high", p.high());
            d.put("moved", p.moved());
            data.add(d);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("kind", "history");
        spec.put("title", "Test accuracy across commits: " + name);
        spec.put("labels", labels);
        spec.put("points", data);
        page.chart("history-" + index, "wide", spec);
        List<Point> moved = points.stream().filter(Point::moved).toList();
        if (moved.isEmpty()) {
            html.append("<p class=\"muted\">No commit moved the accuracy outside the previous entry's band.</p>\n");
            return;
        }
        HtmlTable<Point> table = new HtmlTable<Point>("history-moved-" + index)
                .name("Commit that moved accuracy", p -> new Cell("<code>" + Html.esc(p.entry().commit())
                        + "</code>", ""))
                .column("Branch", p -> Cell.text(p.entry().branch(), "text"))
                .column("Date", p -> Cell.text(p.entry().date().toString()))
                .column("Test accuracy", p -> Cell.text(Html.meanStd(statistic(p.entry()), 4)))
                .column("Previous", p -> Cell.text(Html.meanStd(statistic(p.previous()), 4)))
                .column("Δ", p -> {
                    double delta = p.entry().meanTestAccuracy() - p.previous().meanTestAccuracy();
                    return Cell.text(Html.signed(delta), delta < 0 ? "delta-down" : "delta-up");
                })
                .column("Run id", p -> Cell.text(p.entry().runId(), "text"));
        html.append("<div class=\"table-scroll\">").append(table.render(moved)).append("</div>\n");
    }

    private static Statistic statistic(HistoryEntry e) {
        return new Statistic(e.seeds(), e.meanTestAccuracy(), e.stdTestAccuracy());
    }
}
