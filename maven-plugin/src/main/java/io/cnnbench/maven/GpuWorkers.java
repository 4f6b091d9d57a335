package io.cnnbench.maven;

import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.DeviceSelection;
import io.cnnbench.core.bench.RunLedger;
import io.cnnbench.core.bench.Settings;
import io.cnnbench.core.bench.Shard;
import io.cnnbench.reports.CsvFormatException;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * Several GPUs, or one named GPU ({@code cnn.devices}): one training JVM per GPU, each seeing only its own GPU
 * ({@code CUDA_VISIBLE_DEVICES}) and training its part of the run's (architecture, seed) pairs
 * ({@link Shard#part}, round-robin), in its own directory under the output directory; the parts' rows are then
 * merged into the run's results.csv. Whole pairs per GPU rather than data-parallel training: a benchmark run is
 * many independent trainings, so this needs no gradient exchange, scales with no change to the training loop, and
 * gives each pair the same numbers it gets on one GPU.
 *
 * @param gpus  the GPU of each worker, as CUDA_VISIBLE_DEVICES names it
 * @param parts each worker's pairs, as a shard of the whole run
 */
record GpuWorkers(List<String> gpus, List<Shard> parts) {

    /**
     * The workers for {@code selection}, or {@code null} for the usual one JVM on the device the engine picks (the
     * default selection, 1). A single named GPU ({@code 1,}) is one worker: checked against the machine's GPUs as
     * several are, and its JVM's only GPU; the usual JVM sees every GPU and trains on the first.
     *
     * @param device  the device the run trains on after {@link DeviceChoice}: {@code gpu} or {@code auto} with a
     *                driver; anything else refuses named or several devices
     * @param visible the GPUs the machine shows ({@link GpuInventory})
     * @throws IllegalArgumentException when the selection cannot be met, saying why and what to do
     */
    static GpuWorkers plan(DeviceSelection selection, String device, List<String> visible, Shard shard,
                           int pairs) {
        if (selection.oneUnnamed()) {
            return null;
        }
        if (!device.equals("gpu") && !device.equals("auto")) {
            if (selection.ids().size() == 1) {
                String gpu = selection.ids().get(0);
                throw new IllegalArgumentException("cnn.devices=" + selection + " names GPU " + gpu + ", but this run"
                        + " trains on the " + device + " (cnn.device); leave cnn.devices at 1 to train without naming a"
                        + " GPU, or train on GPU " + gpu + " with -Dcnn.natives=cu124 -Dcnn.device=gpu");
            }
            throw new IllegalArgumentException("cnn.devices=" + selection + " trains one JVM per GPU, but this run"
                    + " trains on the " + device + " (cnn.device); one JVM already uses every CPU core, so leave"
                    + " cnn.devices at 1, or train on GPUs with -Dcnn.natives=cu124 -Dcnn.device=gpu");
        }
        List<String> gpus = selection.pick(visible);
        int workers = Math.min(gpus.size(), pairs);
        List<Shard> parts = new ArrayList<>();
        for (int w = 1; w <= workers; w++) {
            parts.add(shard.part(w, workers));
        }
        return new GpuWorkers(List.copyOf(gpus.subList(0, workers)), parts);
    }

    /** The environment of worker {@code w}'s training JVM: CUDA shows it its own GPU alone, as its GPU 0. */
    Map<String, String> environment(int w) {
        return Map.of("CUDA_VISIBLE_DEVICES", gpus.get(w));
    }

    /** Where worker {@code w}'s files go: a folder of the output directory named after its GPU. */
    Path directory(Path out, int w) {
        return out.resolve("gpu-" + gpus.get(w).replaceAll("[^A-Za-z0-9-]", "_"));
    }

    /** The workers' directories that hold a results.csv, for the report; the output directory when none does. */
    List<Path> directories(Path out) {
        List<Path> dirs = new ArrayList<>();
        for (int w = 0; w < gpus.size(); w++) {
            if (Files.exists(directory(out, w).resolve(RunFiles.RESULTS))) {
                dirs.add(directory(out, w));
            }
        }
        return dirs.isEmpty() ? List.of(out) : dirs;
    }

    /** The pairs worker {@code w} trains, in the run's order. */
    List<RunLedger.Entry> pairs(String runId, List<String> architectures, List<Long> seeds, int w) {
        return new RunLedger(runId, architectures, seeds, parts.get(w)).entries();
    }

    /**
     * The device column as the machine numbers its GPUs: a worker sees only its own GPU, as its GPU 0, so its rows
     * say "GPU 0: ..." whichever GPU it was; the merged rows name the GPU ({@code CUDA_VISIBLE_DEVICES}'s id).
     */
    static String machineDevice(String device, String gpu) {
        return device.startsWith("GPU 0:") ? "GPU " + gpu + ":" + device.substring("GPU 0:".length()) : device;
    }

    /**
     * What the workers left: their rows, and why some may be missing ({@code null} when every JVM ended
     * normally).
     */
    record Finished(List<ResultRow> rows, String cause) {
    }

    /**
     * Runs every worker's training JVM at once and waits for all of them. Each keeps the run's device choice and
     * sees only its GPU, so {@code gpu} and {@code auto} both mean that GPU. The merged rows carry the run's own
     * shard ({@code cnn.shard}), not the worker's part, so that cnn:check sees one job of the CI split.
     */
    Finished run(BenchmarkConfig cfg, List<String> classpath, Map<String, String> systemProperties, String jvmArgs,
                 String allocator, Duration timeout, Log log) throws MojoExecutionException {
        Path out = cfg.outputDirectory();
        ExecutorService pool = Executors.newFixedThreadPool(gpus.size());
        try {
            List<Future<String>> running = new ArrayList<>();
            for (int w = 0; w < gpus.size(); w++) {
                BenchmarkConfig part = BenchmarkConfig.fromProperties(cfg.toProperties())
                        .set(Settings.SHARD, parts.get(w).toString())
                        .set(Settings.OUTPUT_DIRECTORY, directory(out, w).toString());
                String gpu = gpus.get(w);
                Map<String, String> environment = environment(w);
                running.add(pool.submit(() -> {
                    ForkedTraining.Outcome o = ForkedTraining.run(part, classpath, systemProperties, environment,
                            "[GPU " + gpu + "] ", jvmArgs, allocator, timeout, log);
                    return o.cause();
                }));
            }
            List<String> causes = new ArrayList<>();
            List<ResultRow> rows = new ArrayList<>();
            for (int w = 0; w < gpus.size(); w++) {
                String label = "GPU " + gpus.get(w) + ": ";
                try {
                    String cause = running.get(w).get();
                    if (cause != null) {
                        causes.add(label + cause);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    causes.add(label + "the training JVM could not be started: " + c.getMessage());
                }
                Path results = directory(out, w).resolve(RunFiles.RESULTS);
                if (Files.exists(results)) {
                    try {
                        // Only this run's rows (a worker that died early may have left an earlier run's file); the
                        // worker's own file keeps its part as shard, the merged rows get the run's, and their
                        // run_directory is relative to the output directory, through the worker's folder.
                        List<ResultRow> fresh = RunFiles.readResults(results).stream()
                                .filter(r -> cfg.runId().equals(r.get(ResultColumn.RUN_ID))).toList();
                        RunFiles.writeResults(results, fresh);
                        String folder = directory(out, w).getFileName().toString();
                        for (ResultRow r : fresh) {
                            String runDirectory = r.get(ResultColumn.RUN_DIRECTORY);
                            rows.add(r.set(ResultColumn.SHARD, cfg.get(Settings.SHARD).toString())
                                    .set(ResultColumn.DEVICE, machineDevice(r.get(ResultColumn.DEVICE), gpus.get(w)))
                                    .set(ResultColumn.RUN_DIRECTORY, runDirectory.isEmpty() ? ""
                                            : folder + "/" + runDirectory));
                        }
                    } catch (CsvFormatException e) {
                        causes.add(label + "results.csv is unreadable: " + e.getMessage());
                    }
                }
            }
            return new Finished(rows, causes.isEmpty() ? null : String.join("; ", causes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while training", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
