package io.cnnbench.reports;

import io.cnnbench.api.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The run's {@code report.html}: one self-contained file that opens offline. Tables are plain HTML (readable
 * without JavaScript); charts are drawn by ECharts, whose minified script is read from its WebJar on the class
 * path and inlined, from a JSON blob in the page. Sections: the comparison of architectures with an
 * accuracy-versus-MACs chart, the change against a baseline, the gate's verdict, per architecture the training
 * curves, confusion matrix and per-class accuracy, and the environment each result directory was produced in.
 *
 * <p>The page records whether its charts rendered in {@code <div id="cnn-render-status" data-state="done"
 * data-charts="N" data-expected="N" data-errors="0">}, for headless-browser checks.
 */
public final class HtmlReport {
    public static final String FILE = "report.html";
    /** The id of the element where the page reports how many charts it drew and which errors occurred. */
    public static final String STATUS_ELEMENT_ID = "cnn-render-status";

    private static final String ECHARTS_WEBJAR = "META-INF/maven/org.webjars.npm/echarts/pom.properties";
    /** Differences in accuracy smaller than this show as unchanged: they are below one image in 2,000. */
    private static final double FLAT = 0.0005;

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
        MergedResults merged = MergedResults.load(resultDirs);
        List<String> notes = new ArrayList<>(merged.notes());
        List<ResultRow> baseline = null;
        String baselineName = null;
        if (baselineOrNull != null) {
            baselineName = baselineOrNull.getFileName().toString();
            if (Files.exists(baselineOrNull)) {
                baseline = Baseline.read(baselineOrNull);
            } else {
                notes.add("the baseline " + baselineOrNull + " does not exist yet; create it with"
                        + " -Dcnn.updateBaseline=true");
            }
        }
        String html = new HtmlReport.Page(merged, baseline, baselineName, env, rules, scope, notes).render();
        AtomicFiles.writeString(outputHtml, html);
        return outputHtml;
    }

    /** The minified ECharts script from its WebJar, and its version. */
    static String[] echarts() {
        ClassLoader loader = HtmlReport.class.getClassLoader();
        Properties webjar = new Properties();
        try (InputStream in = loader.getResourceAsStream(ECHARTS_WEBJAR)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar (org.webjars.npm:echarts) is not on the class"
                        + " path; it is a dependency of cnn-reports");
            }
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = webjar.getProperty("version");
        String script = resource(loader, "META-INF/resources/webjars/echarts/" + version + "/dist/echarts.min.js");
        return new String[] {script, version};
    }

    private static String resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String ownResource(String name) {
        return resource(HtmlReport.class.getClassLoader(), "io/cnnbench/reports/" + name);
    }

    /** One rendering of the page. */
    private static final class Page {
        private final MergedResults merged;
        private final Summary summary;
        private final List<ResultRow> baseline;
        private final Summary baselineSummary;
        private final String baselineName;
        private final Environment env;
        private final BaselineGate.Result gate;
        private final List<String> notes;
        private final StringBuilder html = new StringBuilder(1 << 16);
        private final Map<String, Object> charts = new LinkedHashMap<>();

        Page(MergedResults merged, List<ResultRow> baseline, String baselineName, Environment env,
             List<GateRule> rules, GateScope scope, List<String> notes) {
            this.merged = merged;
            this.summary = Summary.of(merged.rows());
            this.baseline = baseline;
            this.baselineSummary = baseline == null ? null : Summary.of(baseline);
            this.baselineName = baselineName;
            this.env = env;
            this.gate = rules.isEmpty() ? null
                    : BaselineGate.check(merged.rows(), baseline, baselineName, rules, scope);
            this.notes = notes;
        }

        String render() {
            String[] echarts = echarts();
            html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                    .append("<meta name=\"generator\" content=\"cnnbench cnn-reports, ECharts ")
                    .append(esc(echarts[1])).append("\">\n")
                    .append("<title>CNN benchmark report</title>\n<style>\n").append(ownResource("report.css"))
                    .append("</style>\n").append(script(ownResource("errors.js"))).append("</head>\n<body>\n");
            header();
            comparison();
            baselineSection();
            gateSection();
            for (int i = 0; i < summary.architectures().size(); i++) {
                architecture(i, summary.architectures().get(i));
            }
            environment();
            notesSection();
            html.append("<div id=\"").append(STATUS_ELEMENT_ID).append("\" data-state=\"pending\" data-charts=\"0\"")
                    .append(" data-expected=\"").append(charts.size()).append("\" data-errors=\"0\">")
                    .append("Charts need JavaScript; the tables above hold the same numbers.</div>\n");
            html.append("<!-- Apache ECharts ").append(esc(echarts[1]))
                    .append(", Apache License 2.0, https://echarts.apache.org -->\n")
                    .append(script(echarts[0]));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("charts", charts);
            html.append("<script type=\"application/json\" id=\"cnn-data\">").append(Json.write(data))
                    .append("</script>\n");
            html.append(script(ownResource("report.js"))).append("</body>\n</html>\n");
            return html.toString();
        }

        private static String script(String js) {
            // A literal "</script" inside would end the element early; "<\/" means the same in JavaScript.
            return "<script>\n" + js.replace("</script", "<\\/script") + "\n</script>\n";
        }

        // ------------------------------------------------------------------ header and comparison

        private void header() {
            String now = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            html.append("<header>\n<h1>CNN benchmark report</h1>\n<p class=\"meta\">")
                    .append(summary.architectures().size()).append(" architecture")
                    .append(summary.architectures().size() == 1 ? "" : "s").append(", ")
                    .append(merged.runs().size()).append(" run").append(merged.runs().size() == 1 ? "" : "s")
                    .append(" from ");
            List<String> dirs = new ArrayList<>();
            for (Path d : merged.directories()) {
                dirs.add("<code>" + esc(d.toString()) + "</code>");
            }
            html.append(String.join(", ", dirs)).append(". Generated ").append(esc(now));
            if (env != null && env.get(Environment.GIT_COMMIT) != null) {
                html.append(" at commit <code>").append(esc(env.get(Environment.GIT_COMMIT))).append("</code>");
            }
            html.append(".</p>\n<nav><a href=\"#comparison\">Comparison</a>");
            if (baselineName != null) {
                html.append("<a href=\"#baseline\">Baseline</a>");
            }
            if (gate != null) {
                html.append("<a href=\"#gate\">Gate</a>");
            }
            for (int i = 0; i < summary.architectures().size(); i++) {
                html.append("<a href=\"#arch-").append(i).append("\">")
                        .append(esc(summary.architectures().get(i).architecture())).append("</a>");
            }
            html.append("<a href=\"#environment\">Environment</a></nav>\n</header>\n");
        }

        private void comparison() {
            html.append("<section id=\"comparison\">\n<h2>Comparison</h2>\n");
            html.append("<p class=\"muted\">Accuracies are fractions of the test set; with several seeds, mean ± sample"
                    + " standard deviation. Latency is for one image (batch 1); throughput for batches of 256.</p>\n");
            html.append("<div class=\"table-scroll\"><table id=\"comparison-table\">\n<thead><tr>")
                    .append("<th class=\"name\" rowspan=\"2\">Architecture</th><th rowspan=\"2\">Seeds</th>")
                    .append("<th rowspan=\"2\">Parameters</th><th rowspan=\"2\">MACs</th>")
                    .append("<th rowspan=\"2\">Test accuracy</th><th colspan=\"2\">Training</th>")
                    .append("<th colspan=\"3\">ONNX parity</th><th colspan=\"2\">Latency, batch 1 (ms)</th>")
                    .append("<th colspan=\"2\">Images/s, batch 256</th>");
            if (baselineSummary != null) {
                html.append("<th rowspan=\"2\">Δ vs<br>baseline</th>");
            }
            boolean anyFailed = summary.architectures().stream().anyMatch(a -> a.okRuns().size() < a.runs().size());
            if (anyFailed) {
                html.append("<th rowspan=\"2\">Failed runs</th>");
            }
            html.append("</tr>\n<tr><th>time (s)</th><th>images/s</th>")
                    .append("<th>top-1 agreement</th><th>max |Δ logit|</th><th>test accuracy</th>")
                    .append("<th>PyTorch</th><th>ONNX</th><th>PyTorch</th><th>ONNX</th></tr></thead>\n<tbody>\n");
            List<Map<String, Object>> points = new ArrayList<>();
            for (int i = 0; i < summary.architectures().size(); i++) {
                ArchitectureStats a = summary.architectures().get(i);
                html.append("<tr><td class=\"name\"><a href=\"#arch-").append(i).append("\">")
                        .append(esc(a.architecture())).append("</a></td>")
                        .append(td(a.okRuns().size() + (a.runs().size() > a.okRuns().size()
                                ? " of " + a.runs().size() : "")))
                        .append(td(integer(a.mean(ResultColumn.TRAINABLE_PARAMS))))
                        .append(td(millions(a.mean(ResultColumn.MACS))))
                        .append(td(meanStd(a.statistic(ResultColumn.TEST_ACCURACY), 4)))
                        .append(td(meanStd(a.statistic(ResultColumn.TRAIN_SECONDS), 1)))
                        .append(td(meanStd(a.statistic(ResultColumn.TRAIN_IMAGES_PER_SECOND), 0)))
                        .append(td(mean(a.statistic(ResultColumn.ONNX_TOP1_AGREEMENT), 4)))
                        .append(td(scientific(maximum(a, ResultColumn.ONNX_MAX_ABS_DIFF))))
                        .append(td(meanStd(a.statistic(ResultColumn.ONNX_TEST_ACCURACY), 4)))
                        .append(td(meanStd(a.statistic(ResultColumn.PYTORCH_LATENCY_MS_BATCH1), 2)))
                        .append(td(meanStd(a.statistic(ResultColumn.ONNX_LATENCY_MS_BATCH1), 2)))
                        .append(td(mean(a.statistic(ResultColumn.PYTORCH_IMAGES_PER_SECOND_BATCH256), 0)))
                        .append(td(mean(a.statistic(ResultColumn.ONNX_IMAGES_PER_SECOND_BATCH256), 0)));
                if (baselineSummary != null) {
                    deltaCell(a);
                }
                if (anyFailed) {
                    html.append(failedRunsCell(a));
                }
                html.append("</tr>\n");
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
            html.append("</tbody></table></div>\n");
            if (points.isEmpty()) {
                missing("No architecture has both a test accuracy and a MAC count to plot.");
            } else {
                chart("accuracy-vs-macs", "wide", Map.of("kind", "scatter", "title",
                        "Test accuracy against multiply-accumulates (marker area ~ parameters)", "points", points));
            }
            html.append("</section>\n");
        }

        private String failedRunsCell(ArchitectureStats a) {
            if (a.okRuns().size() == a.runs().size()) {
                return "<td class=\"text\"></td>";
            }
            List<String> messages = new ArrayList<>();
            for (ResultRow r : a.runs()) {
                if (!r.ok()) {
                    messages.add("seed " + r.get(ResultColumn.SEED) + ": " + r.get(ResultColumn.STATUS)
                            + (r.get(ResultColumn.MESSAGE).isEmpty() ? "" : " (" + r.get(ResultColumn.MESSAGE) + ")"));
                }
            }
            return "<td class=\"text status-failed\">" + esc(String.join("; ", messages)) + "</td>";
        }

        private void deltaCell(ArchitectureStats a) {
            ArchitectureStats base = baselineSummary.get(a.architecture());
            if (base == null || !base.testAccuracy().present() || !a.testAccuracy().present()) {
                html.append("<td class=\"delta-flat\">not in baseline</td>");
                return;
            }
            double delta = a.testAccuracy().mean() - base.testAccuracy().mean();
            html.append("<td class=\"").append(deltaClass(a.architecture(), delta)).append("\">")
                    .append(signed(delta)).append("</td>");
        }

        /** Green for a gain, red for a loss (and for any architecture the gate failed), grey for no change. */
        private String deltaClass(String architecture, double delta) {
            if (gateFailed(architecture) || delta < -FLAT) {
                return "delta-down";
            }
            return delta > FLAT ? "delta-up" : "delta-flat";
        }

        private boolean gateFailed(String architecture) {
            return gate != null && gate.violations().stream().anyMatch(v -> v.architecture().equals(architecture));
        }

        // ------------------------------------------------------------------ baseline and gate

        private void baselineSection() {
            if (baselineName == null) {
                return;
            }
            html.append("<section id=\"baseline\">\n<h2>Against the baseline <code>").append(esc(baselineName))
                    .append("</code></h2>\n");
            if (baselineSummary == null) {
                html.append("<p class=\"warning\">The baseline file does not exist yet.</p>\n</section>\n");
                return;
            }
            html.append("<table id=\"baseline-table\">\n<thead><tr><th class=\"name\">Architecture</th>")
                    .append("<th>Baseline test accuracy</th><th>This run</th><th>Δ</th></tr></thead>\n<tbody>\n");
            List<Map<String, Object>> items = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>(summary.architectureNames());
            names.addAll(baselineSummary.architectureNames());
            for (String name : names) {
                ArchitectureStats now = summary.get(name);
                ArchitectureStats base = baselineSummary.get(name);
                Statistic nowAcc = now == null ? Statistic.NONE : now.testAccuracy();
                Statistic baseAcc = base == null ? Statistic.NONE : base.testAccuracy();
                html.append("<tr><td class=\"name\">").append(esc(name)).append("</td>")
                        .append(td(base == null ? "not in baseline" : meanStd(baseAcc, 4)))
                        .append(td(now == null ? "not run" : meanStd(nowAcc, 4)));
                if (nowAcc.present() && baseAcc.present()) {
                    double delta = nowAcc.mean() - baseAcc.mean();
                    html.append("<td class=\"").append(deltaClass(name, delta)).append("\">").append(signed(delta))
                            .append("</td>");
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("name", name);
                    item.put("delta", delta);
                    item.put("failed", gateFailed(name));
                    items.add(item);
                } else {
                    html.append("<td class=\"delta-flat\">–</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</tbody></table>\n");
            if (!items.isEmpty()) {
                chart("baseline-delta", "", Map.of("kind", "delta", "title",
                        "Change in test accuracy against the baseline", "items", items));
            }
            html.append("</section>\n");
        }

        private void gateSection() {
            if (gate == null) {
                return;
            }
            html.append("<section id=\"gate\">\n<h2>Gate: ").append(gate.passed()
                    ? "<span class=\"gate-passed\">passed</span>" : "<span class=\"gate-failed\">failed</span>")
                    .append("</h2>\n<ul class=\"notes\">\n");
            for (Violation v : gate.violations()) {
                html.append("<li class=\"gate-failed\">").append(esc(v.message())).append("</li>\n");
            }
            for (String line : gate.checked()) {
                if (line.endsWith(": ok")) {
                    html.append("<li class=\"gate-passed\">").append(esc(line)).append("</li>\n");
                }
            }
            for (String w : gate.warnings()) {
                html.append("<li class=\"warning\">").append(esc(w)).append("</li>\n");
            }
            html.append("</ul>\n</section>\n");
        }

        // ------------------------------------------------------------------ one architecture

        private void architecture(int index, ArchitectureStats a) {
            String id = "arch-" + index;
            html.append("<section class=\"architecture\" id=\"").append(id).append("\">\n<h2>")
                    .append(esc(a.architecture())).append("</h2>\n<p class=\"facts\">")
                    .append(integer(a.mean(ResultColumn.TRAINABLE_PARAMS))).append(" parameters, ")
                    .append(millions(a.mean(ResultColumn.MACS))).append(" MACs; test accuracy ")
                    .append(meanStd(a.testAccuracy(), 4));
            if (a.okRuns().size() > 1) {
                html.append(" over seeds ").append(esc(String.join(", ", a.seeds())));
            } else if (a.okRuns().size() == 1) {
                html.append(" (seed ").append(esc(a.seeds().get(0))).append(')');
            }
            Set<String> devices = new LinkedHashSet<>();
            for (ResultRow r : a.runs()) {
                if (!r.get(ResultColumn.DEVICE).isEmpty()) {
                    devices.add(r.get(ResultColumn.DEVICE));
                }
            }
            if (!devices.isEmpty()) {
                html.append("; device ").append(esc(String.join(", ", devices)));
            }
            html.append(".</p>\n");
            for (ResultRow r : a.runs()) {
                if (!r.ok()) {
                    html.append("<p class=\"status-failed\">Seed ").append(esc(r.get(ResultColumn.SEED))).append(' ')
                            .append(esc(r.get(ResultColumn.STATUS))).append(": ")
                            .append(esc(r.get(ResultColumn.MESSAGE))).append("</p>\n");
                }
            }
            List<MergedResults.Run> runs = merged.runsOf(a.architecture()).stream()
                    .filter(r -> r.row().ok()).toList();
            if (runs.isEmpty()) {
                missing("No run of this architecture succeeded, so there is nothing to plot.");
                html.append("</section>\n");
                return;
            }
            // A name such as ../../x must not make the report read files outside the result directory.
            List<MergedResults.Run> readable = new ArrayList<>();
            for (MergedResults.Run run : runs) {
                String problem = run.pathProblem();
                if (problem == null) {
                    readable.add(run);
                } else {
                    notes.add(problem);
                }
            }
            if (readable.isEmpty()) {
                missing("This architecture's name is not a valid name (see the notes), so its history, confusion"
                        + " matrix and per-class files were not read.");
                html.append("</section>\n");
                return;
            }
            runs = readable;
            curves(id, runs);
            confusionAndPerClass(id, runs);
            html.append("</section>\n");
        }

        private void curves(String id, List<MergedResults.Run> runs) {
            List<Map<String, Object>> accuracy = new ArrayList<>();
            List<Map<String, Object>> loss = new ArrayList<>();
            List<Map<String, Object>> rate = new ArrayList<>();
            List<double[]> rates = new ArrayList<>();
            for (int s = 0; s < runs.size(); s++) {
                MergedResults.Run run = runs.get(s);
                Path file = run.runDirectory().resolve(RunFiles.HISTORY);
                if (!Files.isRegularFile(file)) {
                    notes.add(run.row().architecture() + " seed " + run.row().get(ResultColumn.SEED) + ": no "
                            + file + ", so no training curves");
                    continue;
                }
                List<EpochRecord> history = RunFiles.readHistory(file);
                String seed = runs.size() > 1 ? run.row().get(ResultColumn.SEED) : "";
                double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
                accuracy.add(series("train", "train", s, seed, epochs,
                        history.stream().mapToDouble(EpochRecord::trainAccuracy).toArray()));
                accuracy.add(series("validation", "validation", s, seed, epochs,
                        history.stream().mapToDouble(EpochRecord::valAccuracy).toArray()));
                loss.add(series("train", "train", s, seed, epochs,
                        history.stream().mapToDouble(EpochRecord::trainLoss).toArray()));
                loss.add(series("validation", "validation", s, seed, epochs,
                        history.stream().mapToDouble(EpochRecord::valLoss).toArray()));
                double[] lr = history.stream().mapToDouble(EpochRecord::learningRate).toArray();
                // Seeds normally share the schedule: draw a schedule once unless the seeds differ.
                if (rates.stream().noneMatch(r -> Arrays.equals(r, lr))) {
                    rates.add(lr);
                    rate.add(series("learning rate", "train", s, seed, epochs, lr));
                }
            }
            if (rate.size() == 1) {
                rate.get(0).put("seed", "");
            }
            html.append("<h3>Training</h3>\n");
            if (accuracy.isEmpty()) {
                missing("No history.csv was found for this architecture.");
                return;
            }
            String seeds = runs.size() > 1 ? " (" + accuracy.size() / 2 + " seeds)" : "";
            html.append("<div class=\"charts\">\n");
            chart(id + "-accuracy", "", curvesSpec("Accuracy: train vs validation" + seeds, "accuracy", accuracy,
                    false));
            chart(id + "-loss", "", curvesSpec("Loss: train vs validation" + seeds, "loss", loss, false));
            chart(id + "-lr", "", curvesSpec("Learning rate", "learning rate", rate, false));
            html.append("</div>\n");
        }

        private static Map<String, Object> series(String name, String role, int seedIndex, String seed, double[] x,
                                                  double[] y) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", name);
            s.put("role", role);
            s.put("seedIndex", seedIndex);
            s.put("seed", seed);
            s.put("x", x);
            s.put("y", y);
            return s;
        }

        private static Map<String, Object> curvesSpec(String title, String yName, List<Map<String, Object>> series,
                                                      boolean logScale) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("kind", "curves");
            spec.put("title", title);
            spec.put("yName", yName);
            spec.put("logScale", logScale);
            spec.put("series", series);
            return spec;
        }

        private void confusionAndPerClass(String id, List<MergedResults.Run> runs) {
            List<String> classes = null;
            long[][] total = null;
            int matrices = 0;
            Map<String, List<Double>> perClass = new LinkedHashMap<>();
            for (MergedResults.Run run : runs) {
                Path dir = run.runDirectory();
                Path confusionFile = dir.resolve(RunFiles.CONFUSION);
                if (Files.isRegularFile(confusionFile)) {
                    ConfusionMatrix m = RunFiles.readConfusionMatrix(confusionFile);
                    if (classes == null) {
                        classes = m.classNames();
                        total = new long[classes.size()][classes.size()];
                    }
                    if (m.classNames().equals(classes)) {
                        for (int i = 0; i < total.length; i++) {
                            for (int j = 0; j < total.length; j++) {
                                total[i][j] += m.counts()[i][j];
                            }
                        }
                        matrices++;
                    } else {
                        notes.add(confusionFile + " names other classes than the other seeds; left out of the"
                                + " summed confusion matrix");
                    }
                }
                Path perClassFile = dir.resolve(RunFiles.PER_CLASS);
                if (Files.isRegularFile(perClassFile)) {
                    for (ClassAccuracy c : RunFiles.readPerClass(perClassFile)) {
                        perClass.computeIfAbsent(c.className(), k -> new ArrayList<>()).add(c.accuracy());
                    }
                } else if (Files.isRegularFile(confusionFile)) {
                    ConfusionMatrix m = RunFiles.readConfusionMatrix(confusionFile);
                    for (int i = 0; i < m.classNames().size(); i++) {
                        long rowTotal = 0;
                        for (long v : m.counts()[i]) {
                            rowTotal += v;
                        }
                        perClass.computeIfAbsent(m.classNames().get(i), k -> new ArrayList<>())
                                .add(rowTotal == 0 ? Double.NaN : (double) m.counts()[i][i] / rowTotal);
                    }
                }
            }
            html.append("<h3>Test set</h3>\n<div class=\"charts two\">\n");
            if (total == null) {
                missing("No confusion.csv was found for this architecture.");
            } else {
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("kind", "confusion");
                spec.put("title", "Confusion matrix" + (matrices > 1 ? " (summed over " + matrices + " seeds)" : ""));
                spec.put("classes", classes);
                spec.put("counts", List.of(total));
                chart(id + "-confusion", "tall", spec);
            }
            if (perClass.isEmpty()) {
                missing("No per_class.csv was found for this architecture.");
            } else {
                List<String> names = new ArrayList<>(perClass.keySet());
                double[] means = new double[names.size()];
                double[] stds = new double[names.size()];
                for (int i = 0; i < names.size(); i++) {
                    Statistic s = Statistic.of(perClass.get(names.get(i)));
                    means[i] = s.mean();
                    stds[i] = s.std();
                }
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("kind", "perClass");
                spec.put("title", "Per-class test accuracy" + (runs.size() > 1 ? " (mean over seeds)" : ""));
                spec.put("classes", names);
                spec.put("values", means);
                spec.put("std", stds);
                chart(id + "-per-class", "tall", spec);
            }
            html.append("</div>\n");
        }

        // ------------------------------------------------------------------ environment and notes

        private void environment() {
            html.append("<section id=\"environment\">\n<h2>Environment</h2>\n");
            Map<String, Environment> columns = new LinkedHashMap<>();
            if (env != null) {
                columns.put("this run", env);
            }
            merged.environments().forEach((dir, e) -> {
                if (!e.equals(env)) {
                    columns.put(dir.toString(), e);
                }
            });
            if (columns.isEmpty()) {
                html.append("<p class=\"muted\">Not recorded: none of the result directories has an ")
                        .append(Environment.FILE).append(".</p>\n</section>\n");
                return;
            }
            Set<String> keys = new LinkedHashSet<>();
            columns.values().forEach(e -> keys.addAll(e.values().keySet()));
            html.append("<table id=\"environment-table\">\n<thead><tr><th class=\"name\"></th>");
            for (String c : columns.keySet()) {
                html.append("<th>").append(esc(c)).append("</th>");
            }
            html.append("</tr></thead>\n<tbody>\n");
            for (String key : keys) {
                html.append("<tr><td class=\"name\">").append(esc(label(key))).append("</td>");
                for (Environment e : columns.values()) {
                    String v = e.get(key);
                    html.append("<td class=\"text\">").append(v == null ? "<span class=\"muted\">–</span>" : esc(v))
                            .append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</tbody></table>\n</section>\n");
        }

        private static String label(String key) {
            return switch (key) {
                case Environment.DATE -> "date";
                case Environment.OS -> "operating system";
                case Environment.CPU -> "CPU";
                case Environment.CPU_CORES -> "CPU cores";
                case Environment.GPU -> "GPU";
                case Environment.DEVICE -> "device";
                case Environment.JAVA -> "Java";
                case Environment.ENGINE -> "engine";
                case Environment.ENGINE_VERSION -> "engine version";
                case Environment.GIT_COMMIT -> "git commit";
                default -> key.startsWith(Environment.LIBRARY_PREFIX)
                        ? key.substring(Environment.LIBRARY_PREFIX.length()) : key;
            };
        }

        private void notesSection() {
            if (notes.isEmpty()) {
                return;
            }
            html.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul class=\"notes\">\n");
            for (String n : notes) {
                html.append("<li class=\"warning\">").append(esc(n)).append("</li>\n");
            }
            html.append("</ul>\n</section>\n");
        }

        // ------------------------------------------------------------------ pieces

        private void chart(String id, String cssClass, Map<String, Object> spec) {
            charts.put(id, spec);
            html.append("<div class=\"chart").append(cssClass.isEmpty() ? "" : " " + cssClass)
                    .append("\" id=\"chart-").append(esc(id)).append("\" data-chart=\"").append(esc(id))
                    .append("\"></div>\n");
        }

        private void missing(String text) {
            html.append("<div class=\"missing\">").append(esc(text)).append("</div>\n");
        }

        private static String td(String text) {
            return "<td>" + esc(text) + "</td>";
        }
    }

    static String meanStd(Statistic s, int decimals) {
        if (!s.present()) {
            return "–";
        }
        String mean = String.format(Locale.ROOT, "%,." + decimals + "f", s.mean());
        return Double.isNaN(s.std()) ? mean : mean + " ± " + String.format(Locale.ROOT, "%,." + decimals + "f", s.std());
    }

    static String mean(Statistic s, int decimals) {
        return s.present() ? String.format(Locale.ROOT, "%,." + decimals + "f", s.mean()) : "–";
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

    static String integer(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    static String millions(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f M", v / 1e6);
    }

    static String scientific(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2e", v);
    }

    static String signed(double v) {
        return (v >= 0 ? "+" : "−") + String.format(Locale.ROOT, "%.4f", Math.abs(v));
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
