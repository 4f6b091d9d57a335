package io.cnnbench.reports;

import io.cnnbench.reports.HtmlTable.Cell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's first section: one row per architecture with every measure, and accuracy against MACs. */
final class ComparisonSection {
    private final ReportPage page;

    ComparisonSection(ReportPage page) {
        this.page = page;
    }

    void render() {
        StringBuilder html = page.html;
        List<ArchitectureStats> architectures = page.summary.architectures();
        html.append("<section id=\"comparison\">\n<h2>Comparison</h2>\n");
        html.append("<p class=\"muted\">Accuracies are fractions of the test set; with several seeds, mean ± sample"
                + " standard deviation. Latency is for one image (batch 1); throughput for batches of 256.</p>\n");
        html.append("<div class=\"table-scroll\">").append(table().render(architectures)).append("</div>\n");
        List<Map<String, Object>> points = new ArrayList<>();
        for (ArchitectureStats a : architectures) {
            if (a.testAccuracy().present() && a.mean(ResultColumn.MACS) > 0) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", a.architecture());
                p.put("macs", a.mean(ResultColumn.MACS));
                p.put("accuracy", a.testAccuracy().mean());
                p.put("std", a.testAccuracy().std());
                p.put("params", a.mean(ResultColumn.TRAINABLE_PARAMS));
                points.add(p);
            }
        }
        if (points.isEmpty()) {
            page.missing("No architecture has both a test accuracy and a MAC count to plot.");
        } else {
            page.chart("accuracy-vs-macs", "wide", Map.of("kind", "scatter", "title",
                    "Test accuracy against multiply-accumulates (marker area ~ parameters)", "points", points));
        }
        html.append("</section>\n");
    }

    private HtmlTable<ArchitectureStats> table() {
        List<ArchitectureStats> architectures = page.summary.architectures();
        HtmlTable<ArchitectureStats> table = new HtmlTable<ArchitectureStats>("comparison-table")
                .name("Architecture", a -> new Cell("<a href=\"#arch-" + architectures.indexOf(a) + "\">"
                        + Html.esc(a.architecture()) + "</a>", ""))
                .column("Seeds", a -> Cell.text(a.okRuns().size()
                        + (a.runs().size() > a.okRuns().size() ? " of " + a.runs().size() : "")))
                .column("Parameters", a -> Cell.text(Html.integer(a.mean(ResultColumn.TRAINABLE_PARAMS))))
                .column("MACs", a -> Cell.text(Html.millions(a.mean(ResultColumn.MACS))))
                .column("Test accuracy", a -> meanStd(a, ResultColumn.TEST_ACCURACY, 4))
                .column("Training", "time (s)", a -> meanStd(a, ResultColumn.TRAIN_SECONDS, 1))
                .column("Training", "images/s", a -> meanStd(a, ResultColumn.TRAIN_IMAGES_PER_SECOND, 0))
                .column("ONNX parity", "top-1 agreement", a -> mean(a, ResultColumn.ONNX_TOP1_AGREEMENT, 4))
                .column("ONNX parity", "max |Δ logit|",
                        a -> Cell.text(Html.scientific(maximum(a, ResultColumn.ONNX_MAX_ABS_DIFF))))
                .column("ONNX parity", "test accuracy", a -> meanStd(a, ResultColumn.ONNX_TEST_ACCURACY, 4))
                .column("Latency, batch 1 (ms)", "PyTorch", a -> meanStd(a, ResultColumn.PYTORCH_LATENCY_MS_BATCH1, 2))
                .column("Latency, batch 1 (ms)", "ONNX", a -> meanStd(a, ResultColumn.ONNX_LATENCY_MS_BATCH1, 2))
                .column("Images/s, batch 256", "PyTorch",
                        a -> mean(a, ResultColumn.PYTORCH_IMAGES_PER_SECOND_BATCH256, 0))
                .column("Images/s, batch 256", "ONNX", a -> mean(a, ResultColumn.ONNX_IMAGES_PER_SECOND_BATCH256, 0));
        if (page.baselineSummary != null) {
            table.column("Δ vs<br>baseline", this::deltaCell);
        }
        if (architectures.stream().anyMatch(a -> a.okRuns().size() < a.runs().size())) {
            table.column("Failed runs", ComparisonSection::failedRunsCell);
        }
        return table;
    }

    private static Cell meanStd(ArchitectureStats a, ResultColumn column, int decimals) {
        return Cell.text(Html.meanStd(a.statistic(column), decimals));
    }

    private static Cell mean(ArchitectureStats a, ResultColumn column, int decimals) {
        return Cell.text(Html.mean(a.statistic(column), decimals));
    }

    /** The worst case over seeds, for measures where the worst matters (the ONNX difference). */
    static double maximum(ArchitectureStats a, ResultColumn column) {
        double max = Double.NaN;
        for (ResultRow r : a.okRuns()) {
            double v = r.getDouble(column);
            if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
                max = v;
            }
        }
        return max;
    }

    private static Cell failedRunsCell(ArchitectureStats a) {
        if (a.okRuns().size() == a.runs().size()) {
            return new Cell("", "text");
        }
        List<String> messages = new ArrayList<>();
        for (ResultRow r : a.runs()) {
            if (!r.ok()) {
                messages.add("seed " + r.get(ResultColumn.SEED) + ": " + r.get(ResultColumn.STATUS)
                        + (r.get(ResultColumn.MESSAGE).isEmpty() ? "" : " (" + r.get(ResultColumn.MESSAGE) + ")"));
            }
        }
        return Cell.text(String.join("; ", messages), "text status-failed");
    }

    private Cell deltaCell(ArchitectureStats a) {
        ArchitectureStats base = page.baselineSummary.get(a.architecture());
        if (base == null || !base.testAccuracy().present() || !a.testAccuracy().present()) {
            return Cell.text("not in baseline", "delta-flat");
        }
        double delta = a.testAccuracy().mean() - base.testAccuracy().mean();
        return Cell.text(Html.signed(delta), page.deltaClass(a.architecture(), delta));
    }
}
