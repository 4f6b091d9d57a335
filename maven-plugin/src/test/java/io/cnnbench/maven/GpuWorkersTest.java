package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.DeviceSelection;
import io.cnnbench.core.bench.RunLedger;
import io.cnnbench.core.bench.Settings;
import io.cnnbench.core.bench.Shard;
import io.cnnbench.reports.MergedResults;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuWorkersTest {
    private static final List<String> ARCHS = List.of("resnext-seed", "resnext", "mobilenetv3-small");
    private static final List<Long> SEEDS = List.of(42L, 43L);

    @TempDir
    Path dir;

    @Test
    void eachGpuGetsItsOwnRoundRobinPartAndTogetherTheyTrainEveryPairOnce() {
        GpuWorkers w = GpuWorkers.plan(DeviceSelection.parse("all"), "gpu", List.of("0", "1", "2", "3"), Shard.ALL,
                6);
        assertEquals(List.of("0", "1", "2", "3"), w.gpus());
        assertEquals(List.of(new RunLedger.Entry("resnext-seed", 42), new RunLedger.Entry("mobilenetv3-small", 42)),
                w.pairs("r", ARCHS, SEEDS, 0), "pairs 1 and 5 of 6");
        assertEquals(List.of(new RunLedger.Entry("resnext", 43)), w.pairs("r", ARCHS, SEEDS, 3));
        List<RunLedger.Entry> union = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            union.addAll(w.pairs("r", ARCHS, SEEDS, i));
        }
        assertEquals(6, union.size());
        assertEquals(new HashSet<>(new RunLedger("r", ARCHS, SEEDS).entries()), new HashSet<>(union));
        assertEquals(dir.resolve("gpu-2"), w.directory(dir, 2));
        assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "2"), w.environment(2));
    }

    @Test
    void insideACiShardTheGpusSplitThatShardsPairs() {
        Shard job = new Shard(2, 2); // this CI job trains pairs 2, 4, 6
        GpuWorkers w = GpuWorkers.plan(DeviceSelection.parse("0,1"), "gpu", List.of("0", "1"), job, 3);
        List<RunLedger.Entry> jobs = new RunLedger("r", ARCHS, SEEDS, job).entries();
        assertEquals(List.of(jobs.get(0), jobs.get(2)), w.pairs("r", ARCHS, SEEDS, 0));
        assertEquals(List.of(jobs.get(1)), w.pairs("r", ARCHS, SEEDS, 1));
    }

    @Test
    void noMoreJvmsThanPairsAndOneDeviceIsTheUsualSingleJvm() {
        GpuWorkers w = GpuWorkers.plan(DeviceSelection.parse("all"), "gpu", List.of("0", "1", "2", "3"), Shard.ALL,
                2);
        assertEquals(List.of("0", "1"), w.gpus(), "two pairs: two JVMs, two GPUs idle");
        assertNull(GpuWorkers.plan(DeviceSelection.ONE, "gpu", List.of("0", "1"), Shard.ALL, 6));
        assertNull(GpuWorkers.plan(DeviceSelection.ONE, "cpu", List.of(), Shard.ALL, 6), "the default, on the CPU");
        assertEquals(List.of("GPU-ab12cd34"), GpuWorkers.plan(DeviceSelection.parse("all"), "auto",
                List.of("GPU-ab12cd34"), Shard.ALL, 6).gpus());
    }

    @Test
    void oneNamedGpuIsTheOneTrainingJvmsOnlyGpu() {
        // "1," once went down the usual single-JVM path, where nothing set CUDA_VISIBLE_DEVICES: it trained on GPU 0.
        Shard job = new Shard(2, 3);
        GpuWorkers w = GpuWorkers.plan(DeviceSelection.parse("1,"), "gpu", List.of("0", "1"), job, 6);
        assertEquals(List.of("1"), w.gpus());
        assertEquals(List.of(job), w.parts(), "the one JVM trains every pair of the run's shard");
        assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "1"), w.environment(0), "its JVM sees GPU 1 alone");
        assertEquals(List.of("1"), GpuWorkers.plan(DeviceSelection.parse("1,"), "auto", List.of("0", "1"), Shard.ALL,
                1).gpus());
        assertEquals(List.of("GPU-ab12cd34"), GpuWorkers.plan(DeviceSelection.parse("GPU-ab12cd34,"), "gpu",
                List.of("0", "GPU-ab12cd34"), Shard.ALL, 6).gpus());
    }

    @Test
    void oneNamedGpuThatTheMachineDoesNotShowOrOnTheCpuFailsSayingWhatToDo() {
        assertEquals("cnn.devices names GPU 7, which this machine does not show (visible: 0, 1)", assertThrows(
                IllegalArgumentException.class, () -> GpuWorkers.plan(DeviceSelection.parse("7,"), "gpu",
                        List.of("0", "1"), Shard.ALL, 6)).getMessage());
        assertEquals("cnn.devices names GPU 0, which this machine does not show (visible: none)", assertThrows(
                IllegalArgumentException.class, () -> GpuWorkers.plan(DeviceSelection.parse("0,"), "auto",
                        List.of(), Shard.ALL, 6)).getMessage());
        assertEquals("cnn.devices=1, names GPU 1, but this run trains on the cpu (cnn.device); leave cnn.devices at 1"
                + " to train without naming a GPU, or train on GPU 1 with -Dcnn.natives=cu124 -Dcnn.device=gpu",
                assertThrows(IllegalArgumentException.class, () -> GpuWorkers.plan(DeviceSelection.parse("1,"), "cpu",
                        List.of("0", "1"), Shard.ALL, 6)).getMessage());
    }

    @Test
    void severalDevicesOnTheCpuOrMoreThanTheMachineShowsFailSayingWhatToDo() {
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class, () -> GpuWorkers.plan(
                DeviceSelection.parse("2"), "cpu", List.of(), Shard.ALL, 6));
        assertEquals("cnn.devices=2 trains one JVM per GPU, but this run trains on the cpu (cnn.device); one JVM"
                + " already uses every CPU core, so leave cnn.devices at 1, or train on GPUs with -Dcnn.natives=cu124"
                + " -Dcnn.device=gpu", cpu.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GpuWorkers.plan(DeviceSelection.parse("3"),
                "gpu", List.of("0", "1"), Shard.ALL, 6)).getMessage().contains("shows 2 GPUs (visible: 0, 1)"));
    }

    @Test
    void theWorkersTrainTheirPartsInParallelJvmsAndTheirRowsMergeUnderTheRunsShard() throws Exception {
        // The orchestration on the CPU: two "GPUs" that are both the CPU (the device choice is kept), so what runs
        // is real: two forked training JVMs at once, each with its part, its directory and its CUDA_VISIBLE_DEVICES.
        BenchmarkConfig cfg = new BenchmarkConfig().architectures(List.of("resnext-seed"))
                .set(Settings.DATASET, "cifar10-sample").set(Settings.DATA_CACHE, dir.resolve("cache").toString())
                .set(Settings.TRAIN_LIMIT, "64").set(Settings.TEST_LIMIT, "64").set(Settings.EPOCHS, "1")
                .set(Settings.SEEDS, "2").set(Settings.ONNX, "false").set(Settings.DEVICE, "cpu")
                .set(Settings.SHARD, "1/1").set(Settings.OUTPUT_DIRECTORY, dir.resolve("out").toString());
        GpuWorkers w = new GpuWorkers(List.of("0", "1"), List.of(Shard.ALL.part(1, 2), Shard.ALL.part(2, 2)));
        List<String> classpath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        GpuWorkers.Finished f = w.run(cfg, classpath, Map.of(), "-Xmx1g", "system", null, new SystemStreamLog());
        assertNull(f.cause());
        assertEquals(List.of("resnext-seed/42/ok/1/1", "resnext-seed/43/ok/1/1"), f.rows().stream()
                .map(r -> r.architecture() + "/" + r.get(ResultColumn.SEED) + "/" + r.get(ResultColumn.STATUS) + "/"
                        + r.get(ResultColumn.SHARD)).sorted().toList());
        for (ResultRow r : f.rows()) {
            assertEquals(cfg.runId(), r.get(ResultColumn.RUN_ID));
        }
        // The merged rows name their files through the worker's folder, so the output directory's results.csv
        // leads a report to each seed's history.
        assertEquals(List.of("gpu-0/resnext-seed/seed-42", "gpu-1/resnext-seed/seed-43"), f.rows().stream()
                .map(r -> r.get(ResultColumn.RUN_DIRECTORY)).sorted().toList());
        for (ResultRow r : f.rows()) {
            Path files = new MergedResults.Run(r, dir.resolve("out")).runDirectory();
            assertTrue(Files.isRegularFile(files.resolve(RunFiles.HISTORY)), files + " has no " + RunFiles.HISTORY);
        }
        // Each worker's own directory holds its part, marked as such.
        assertEquals(List.of("42:1/2"), RunFiles.readResults(w.directory(dir.resolve("out"), 0)
                .resolve(RunFiles.RESULTS)).stream().map(r -> r.get(ResultColumn.SEED) + ":"
                + r.get(ResultColumn.SHARD)).toList());
        assertEquals(List.of(w.directory(dir.resolve("out"), 0), w.directory(dir.resolve("out"), 1)),
                w.directories(dir.resolve("out")));
    }

    @Test
    void theMergedRowsNameTheGpuAsTheMachineNumbersIt() {
        assertEquals("GPU 3: NVIDIA H200 (CUDA 12.4)", GpuWorkers.machineDevice("GPU 0: NVIDIA H200 (CUDA 12.4)", "3"));
        assertEquals("CPU (2 threads)", GpuWorkers.machineDevice("CPU (2 threads)", "3"), "a CPU fallback says so");
    }

    @Test
    void theInventoryReadsCudaVisibleDevicesFirstThenTheDriversList() throws Exception {
        Path gpus = Files.createDirectories(dir.resolve("gpus"));
        Files.createDirectories(gpus.resolve("0000:3b:00.0"));
        Files.createDirectories(gpus.resolve("0000:af:00.0"));
        assertEquals(List.of("0", "1"), GpuInventory.visible(Map.of(), gpus));
        assertEquals(List.of("1"), GpuInventory.visible(Map.of("CUDA_VISIBLE_DEVICES", "1"), gpus));
        assertEquals(List.of("2", "GPU-ab12"), GpuInventory.visible(Map.of("CUDA_VISIBLE_DEVICES", " 2,GPU-ab12"),
                gpus));
        assertEquals(List.of("0"), GpuInventory.visible(Map.of("CUDA_VISIBLE_DEVICES", "0,-1,2"), gpus),
                "CUDA ignores everything from the first invalid entry");
        assertEquals(List.of(), GpuInventory.visible(Map.of("CUDA_VISIBLE_DEVICES", ""), gpus), "hidden");
        assertEquals(List.of(), GpuInventory.visible(Map.of(), dir.resolve("no-driver")));
    }
}
