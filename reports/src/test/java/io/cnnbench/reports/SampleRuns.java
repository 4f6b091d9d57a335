package io.cnnbench.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Writes output directories shaped like cnn:benchmark's, with made-up but plausible numbers. */
final class SampleRuns {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private final Path out;
    private final List<ResultRow> rows = new ArrayList<>();
    private List<String> classes = CLASSES;

    SampleRuns(Path out) {
        this.out = out;
    }

    static ResultRow row(String architecture, long seed, double testAccuracy) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, architecture).set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.OK).set(ResultColumn.TEST_ACCURACY, testAccuracy);
    }

    /** The class names of the confusion and per-class files written by later {@link #architecture} calls. */
    SampleRuns classes(List<String> names) {
        this.classes = List.copyOf(names);
        return this;
    }

    /** A results.csv row with no files beside it (e.g. for a name that is not a valid folder name). */
    SampleRuns rowOnly(ResultRow row) {
        rows.add(row);
        return this;
    }

    /** One architecture trained with the given seeds, reaching the given test accuracies, with all its files. */
    SampleRuns architecture(String name, long params, long macs, long[] seeds, double[] accuracies) {
        boolean several = seeds.length > 1;
        for (int s = 0; s < seeds.length; s++) {
            Random random = new Random(seeds[s] * 31 + name.hashCode());
            double acc = accuracies[s];
            ResultRow row = row(name, seeds[s], acc)
                    .set(ResultColumn.TRAINABLE_PARAMS, params).set(ResultColumn.MACS, macs)
                    .set(ResultColumn.EPOCHS, 8).set(ResultColumn.BATCH_SIZE, 64).set(ResultColumn.TRAIN_IMAGES, 2000)
                    .set(ResultColumn.TRAIN_SECONDS, 40 + random.nextDouble() * 5)
                    .set(ResultColumn.TRAIN_IMAGES_PER_SECOND, 390 + random.nextDouble() * 20)
                    .set(ResultColumn.BEST_VAL_ACCURACY, acc + 0.01).set(ResultColumn.BEST_VAL_LOSS, 1.8)
                    .set(ResultColumn.TEST_LOSS, 1.9).set(ResultColumn.EVAL_IMAGES_PER_SECOND, 1500)
                    .set(ResultColumn.DEVICE, "cpu()")
                    .set(ResultColumn.ONNX_FILE, name + "/model.onnx").set(ResultColumn.ONNX_MAX_ABS_DIFF, 3.2e-6)
                    .set(ResultColumn.ONNX_MAX_ABS_LOGIT, 7.5).set(ResultColumn.ONNX_TOP1_AGREEMENT, 1.0)
                    .set(ResultColumn.ONNX_TEST_ACCURACY, acc)
                    .set(ResultColumn.PYTORCH_LATENCY_MS_BATCH1, 2.1 + random.nextDouble())
                    .set(ResultColumn.ONNX_LATENCY_MS_BATCH1, 1.2 + random.nextDouble())
                    .set(ResultColumn.PYTORCH_IMAGES_PER_SECOND_BATCH256, 1800)
                    .set(ResultColumn.ONNX_IMAGES_PER_SECOND_BATCH256, 2600);
            rows.add(row);
            Path dir = RunFiles.runDirectory(out, name, seeds[s], several);
            List<EpochRecord> history = new ArrayList<>();
            for (int e = 1; e <= 8; e++) {
                double progress = e / 8.0;
                history.add(new EpochRecord(e, 0.001 * Math.pow(0.8, e - 1), 2.3 - 0.6 * progress,
                        0.1 + (acc - 0.08) * progress + random.nextDouble() * 0.01, 2.25 - 0.5 * progress,
                        0.1 + (acc - 0.1) * progress, 5.1, 392));
            }
            RunFiles.writeHistory(dir.resolve(RunFiles.HISTORY), history);
            long[][] confusion = new long[10][10];
            for (int i = 0; i < 10; i++) {
                int correct = (int) Math.round(50 * (acc + (i - 4.5) * 0.02));
                confusion[i][i] = correct;
                for (int k = correct; k < 50; k++) {
                    confusion[i][random.nextInt(10)]++;
                }
            }
            RunFiles.writeConfusion(dir.resolve(RunFiles.CONFUSION), classes, confusion);
            RunFiles.writePerClass(dir.resolve(RunFiles.PER_CLASS), classes, confusion);
        }
        return this;
    }

    SampleRuns failed(String name, long seed, String message) {
        rows.add(new ResultRow().set(ResultColumn.ARCHITECTURE, name).set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.MESSAGE, message));
        return this;
    }

    /**
     * Writes results.csv and environment.properties, as one run does: rows without a run id get the directory's;
     * returns the output directory.
     */
    Path write() {
        String runId = "20250101T000000Z-" + out.getFileName();
        for (ResultRow r : rows) {
            if (!r.has(ResultColumn.RUN_ID)) {
                r.set(ResultColumn.RUN_ID, runId);
            }
        }
        RunFiles.writeResults(out.resolve(RunFiles.RESULTS), rows);
        Environment.of(Map.of(Environment.ENGINE, "PyTorch", Environment.ENGINE_VERSION, "2.7.1",
                Environment.DEVICE, "cpu()", Environment.CPU, "Sample CPU @ 3.0GHz", Environment.DATE,
                "2025-01-01T00:00:00Z", Environment.RUN_ID, runId)).write(out);
        return out;
    }

    List<ResultRow> rows() {
        return rows;
    }
}
