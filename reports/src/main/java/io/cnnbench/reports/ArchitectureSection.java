package io.cnnbench.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One architecture's section: its facts, failed seeds, training curves, confusion matrix and per-class accuracy. */
final class ArchitectureSection {
    private final ReportPage page;
    private final StringBuilder html;
    private final String id;
    private final ArchitectureStats a;

    ArchitectureSection(ReportPage page, int index, ArchitectureStats a) {
        this.page = page;
        this.html = page.html;
        this.id = "arch-" + index;
        this.a = a;
    }

    void render() {
        html.append("<section class=\"architecture\" id=\"").append(id).append("\">\n<h2>")
                .append(Html.esc(a.architecture())).append("</h2>\n<p class=\"facts\">")
                .append(Html.integer(a.mean(ResultColumn.TRAINABLE_PARAMS))).append(" parameters, ")
                .append(Html.millions(a.mean(ResultColumn.MACS))).append(" MACs; test accuracy ")
                .append(Html.meanStd(a.testAccuracy(), 4));
        if (a.okRuns().size() > 1) {
            html.append(" over seeds ").append(Html.esc(String.join(", ", a.seeds())));
        } else if (a.okRuns().size() == 1) {
            html.append(" (seed ").append(Html.esc(a.seeds().get(0))).append(')');
        }
        Set<String> devices = new LinkedHashSet<>();
        for (ResultRow r : a.runs()) {
            if (!r.get(ResultColumn.DEVICE).isEmpty()) {
                devices.add(r.get(ResultColumn.DEVICE));
            }
        }
        if (!devices.isEmpty()) {
            html.append("; device ").append(Html.esc(String.join(", ", devices)));
        }
        html.append(".</p>\n");
        for (ResultRow r : a.runs()) {
            if (!r.ok()) {
                html.append("<p class=\"status-failed\">Seed ").append(Html.esc(r.get(ResultColumn.SEED))).append(' ')
                        .append(Html.esc(r.get(ResultColumn.STATUS))).append(": ")
                        .append(Html.esc(r.get(ResultColumn.MESSAGE))).append("</p>\n");
            }
        }
        List<MergedResults.Run> runs = page.merged.runsOf(a.architecture()).stream()
                .filter(r -> r.row().ok()).toList();
        if (runs.isEmpty()) {
            page.missing("No run of this architecture succeeded, so there is nothing to plot.");
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
                page.notes.add(problem);
            }
        }
        if (readable.isEmpty()) {
            page.missing("This architecture's name is not a valid name (see the notes), so its history, confusion"
                    + " matrix and per-class files were not read.");
            html.append("</section>\n");
            return;
        }
        curves(readable);
        confusionAndPerClass(readable);
        html.append("</section>\n");
    }

    private void curves(List<MergedResults.Run> runs) {
        List<Map<String, Object>> accuracy = new ArrayList<>();
        List<Map<String, Object>> loss = new ArrayList<>();
        List<Map<String, Object>> rate = new ArrayList<>();
        List<double[]> rates = new ArrayList<>();
        for (int s = 0; s < runs.size(); s++) {
            MergedResults.Run run = runs.get(s);
            Path file = run.runDirectory().resolve(RunFiles.HISTORY);
            if (!Files.isRegularFile(file)) {
                page.notes.add(run.row().architecture() + " seed " + run.row().get(ResultColumn.SEED) + ": no "
                        + file + ", so no training curves");
                continue;
            }
            List<EpochRecord> history = RunFiles.readHistory(file);
            String seed = runs.size() > 1 ? run.row().get(ResultColumn.SEED) : "";
            double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
            accuracy.add(Charts.series("train", "train", s, seed, epochs,
                    history.stream().mapToDouble(EpochRecord::trainAccuracy).toArray()));
            accuracy.add(Charts.series("validation", "validation", s, seed, epochs,
                    history.stream().mapToDouble(EpochRecord::valAccuracy).toArray()));
            loss.add(Charts.series("train", "train", s, seed, epochs,
                    history.stream().mapToDouble(EpochRecord::trainLoss).toArray()));
            loss.add(Charts.series("validation", "validation", s, seed, epochs,
                    history.stream().mapToDouble(EpochRecord::valLoss).toArray()));
            double[] lr = history.stream().mapToDouble(EpochRecord::learningRate).toArray();
            // Seeds normally share the schedule: draw a schedule once unless the seeds differ.
            if (rates.stream().noneMatch(r -> Arrays.equals(r, lr))) {
                rates.add(lr);
                rate.add(Charts.series("learning rate", "train", s, seed, epochs, lr));
            }
        }
        if (rate.size() == 1) {
            rate.get(0).put("seed", "");
        }
        html.append("<h3>Training</h3>\n");
        if (accuracy.isEmpty()) {
            page.missing("No history.csv was found for this architecture.");
            return;
        }
        String seeds = runs.size() > 1 ? " (" + accuracy.size() / 2 + " seeds)" : "";
        html.append("<div class=\"charts\">\n");
        page.chart(id + "-accuracy", "", Charts.curves("Accuracy: train vs validation" + seeds, "accuracy",
                accuracy, false));
        page.chart(id + "-loss", "", Charts.curves("Loss: train vs validation" + seeds, "loss", loss, false));
        page.chart(id + "-lr", "", Charts.curves("Learning rate", "learning rate", rate, false));
        html.append("</div>\n");
    }

    private void confusionAndPerClass(List<MergedResults.Run> runs) {
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
                    page.notes.add(confusionFile + " names other classes than the other seeds; left out of the"
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
            page.missing("No confusion.csv was found for this architecture.");
        } else {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("kind", "confusion");
            spec.put("title", "Confusion matrix" + (matrices > 1 ? " (summed over " + matrices + " seeds)" : ""));
            spec.put("classes", classes);
            spec.put("counts", List.of(total));
            page.chart(id + "-confusion", "tall", spec);
        }
        if (perClass.isEmpty()) {
            page.missing("No per_class.csv was found for this architecture.");
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
            page.chart(id + "-per-class", "tall", spec);
        }
        html.append("</div>\n");
    }
}
