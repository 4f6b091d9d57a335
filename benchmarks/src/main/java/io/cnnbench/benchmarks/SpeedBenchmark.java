package io.cnnbench.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.io.AtomicFiles;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.Batch;
import io.cnnbench.cifar.BatchStream;
import io.cnnbench.cifar.CifarDataset;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.cifar.ImageSet;
import io.cnnbench.cifar.PipelineThroughput;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import io.cnnbench.core.djl.Network;
import io.cnnbench.core.djl.Precision;
import io.cnnbench.core.onnx.InferenceTiming;
import io.cnnbench.core.onnx.ModelMetadata;
import io.cnnbench.core.onnx.OnnxExporter;
import io.cnnbench.core.train.MemoryStats;
import io.cnnbench.core.train.NativeAllocator;
import io.cnnbench.core.train.Optimizer;
import io.cnnbench.core.train.TrainStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Speed and memory of training and inference, printed as min / median / max over repeats and as ratios
 * against references measured in the same run: the data pipeline against training (it must deliver at
 * least 20x what training consumes), and cnnbench against PyTorch eager in Python running the same network
 * (benchmarks/python/eager_reference.py), when a Python with torch is available. cnnbench's training is timed
 * before and after the eager reference and its figure pools both, so that the machine's drift falls on both sides.
 *
 * <p>Arguments are key=value: {@code architectures=resnext-seed batch=64 warmup=3 steps=10 repeats=3
 * dataset=cifar10-sample csv=target/benchmarks/speed.csv python=python3 reference=benchmarks/python/eager_reference.py
 * eagerAllocator=jemalloc|glibc layout=channels-last|nchw eagerLayout=best|nchw|channels-last precision=float32|bf16}
 * ({@code precision=bf16}: oneDNN's bf16 math mode, which bench.sh sets in the environment, eager staying float32;
 * jemalloc, keeping its pages, on huge pages, is eager's best allocator here and the default; {@code layout} is the
 * memory layout of cnnbench's images, channels-last by default as in training on the CPU; {@code eagerLayout=best}
 * runs eager in both layouts and compares against the faster). This JVM's own allocator is bench.sh's to set
 * ({@code allocator=}, the plugin's by default), and the header says which it runs on.
 * Run it in a quiet machine; see docs/performance.md.
 */
public final class SpeedBenchmark {
    /**
     * PyTorch eager's fastest CPU configuration measured here: jemalloc keeping its dirty and muzzy pages (without that
     * it returns pages after every step and eager is at its slowest), on transparent huge pages, which made eager 3-4 %
     * faster on the AMX Xeon and cnnbench's training JVM no faster (docs/performance.md).
     */
    static final String EAGER_JEMALLOC = NativeAllocator.JEMALLOC_KEEP_PAGES + ",thp:always,metadata_thp:always";

    /** The architectures benchmarks/python/eager_reference.py builds (the harness checks parameters and MACs). */
    static final java.util.Set<String> EAGER_ARCHITECTURES = java.util.Set.of("resnext-seed", "mobilenetv3-small");

    private SpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>(Map.of("architectures", "resnext-seed", "batch", "64",
                "warmup", "3", "steps", "10", "repeats", "3", "dataset", DataOptions.SAMPLE,
                "csv", "target/benchmarks/speed.csv", "python", "python3",
                "reference", "benchmarks/python/eager_reference.py"));
        defaults.put("eagerAllocator", "jemalloc");
        defaults.put("layout", ImageLayout.defaultFor(Device.cpu()).toString());
        defaults.put("eagerLayout", "best");
        defaults.put("precision", Precision.FLOAT32.toString());
        Map<String, String> a = BenchmarkArgs.parse(defaults, args);
        // bench.sh sets oneDNN's math mode for precision=bf16; a JVM started otherwise must not time another mode.
        Precision precision = Precision.parse(a.get("precision"));
        precision.checkEnvironment(System.getenv());
        int batch = Integer.parseInt(a.get("batch"));
        int warmup = Integer.parseInt(a.get("warmup"));
        int steps = Integer.parseInt(a.get("steps"));
        int repeats = Integer.parseInt(a.get("repeats"));
        ImageLayout layout = ImageLayout.parse(a.get("layout"));
        ImageSet train = CifarDataset.load(DataOptions.builder().dataset(a.get("dataset")).build()).train();
        ProviderRegistry registry = ProviderRegistry.load(SpeedBenchmark.class.getClassLoader());
        List<Map<String, String>> rows = new ArrayList<>();
        Engines.pytorch();
        boolean pointwiseAsMatrixProduct = Network.pointwiseAsMatrixProduct(Device.cpu(), layout);
        System.out.printf(Locale.ROOT, "cnnbench speed benchmark: batch %d, %d warm-up + %d timed steps, %d repeats,"
                + " %d cores, dataset %s (%d training images), %s images, %s convolutions, native memory from %s%s%n",
                batch, warmup, steps, repeats, Runtime.getRuntime().availableProcessors(), a.get("dataset"),
                train.size(), layout, precision, NativeAllocator.current().describe(System.getenv()),
                pointwiseAsMatrixProduct
                        ? ", dense 1x1 convolutions as matrix products (libtorch's channels-last kernel is wrong here)"
                        : "");
        for (String name : a.get("architectures").split(",")) {
            Graph graph = registry.build(registry.architecture(name.trim()).spec());
            // Each architecture's peak is its own, as in cnn:benchmark: start after a full GC and a native trim.
            MemoryStats.releaseUnused();
            MemoryStats.startPhase();
            Map<String, String> row = new LinkedHashMap<>();
            row.put("architecture", graph.name());
            row.put("layout", layout.toString());
            row.put("precision", precision.toString());
            row.put("allocator", NativeAllocator.current().name().toLowerCase(Locale.ROOT));
            row.put("pointwise_convolutions", pointwiseAsMatrixProduct ? "matrix-products" : "libtorch");
            row.put("trainable_params", Long.toString(graph.trainableParameters()));

            double[] pipeline = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                pipeline[r] = PipelineThroughput.imagesPerSecond(train, Augmentation.NOTEBOOK, batch, 2);
            }
            Stats pipe = Stats.of(pipeline);

            // cnnbench trains before and after the eager reference (A B A), and its figure is the median of both
            // blocks: this virtual machine's speed drifts by tens of per cent within minutes, and timed only
            // before eager, cnnbench's figure and eager's would come from different stretches of that drift.
            double[] trainedBefore;
            double[] trainedAfter;
            InferenceTiming.Result inference;
            Map<String, Double> eager = Map.of();
            String eagerLayout = null;
            try (Network net = Network.create(graph, 42, Device.cpu(), true, layout)) {
                trainedBefore = trainingRates(net, train, batch, warmup, steps, repeats);
                Path onnx = Files.createTempFile("cnnbench-speed-", ".onnx");
                try {
                    OnnxExporter.export(net, ModelMetadata.of(graph.name(), new double[3], new double[3],
                            ModelMetadata.CIFAR10_CLASSES), onnx);
                    inference = InferenceTiming.measure(net, onnx, InferenceTiming.Settings.DEFAULT);
                } finally {
                    Files.deleteIfExists(onnx);
                }
                // Eager's best configuration: the faster of its layouts for this network (channels-last speeds up
                // MobileNetV3's depthwise convolutions in eager, and slows ResNeXt's grouped ones down 2.5x).
                for (String l : eagerLayouts(a.get("eagerLayout"))) {
                    Map<String, Double> e = eagerReference(a, graph, batch, warmup, steps, repeats, l);
                    if (e.isEmpty()) {
                        break; // no torch, or not the same network: the other layout would say the same again
                    }
                    if (eager.isEmpty() || e.get("train_images_per_second_median")
                            > eager.get("train_images_per_second_median")) {
                        eager = e;
                        eagerLayout = l;
                    }
                }
                trainedAfter = trainingRates(net, train, batch, warmup, steps, repeats);
            }
            Stats training = Stats.of(concat(trainedBefore, trainedAfter));
            double peakRss = MemoryStats.phasePeakRssMb();
            double jvm = MemoryStats.jvmCommittedMb();
            System.out.printf(Locale.ROOT, "%n%s (%s trainable parameters)%n%-44s %9s %9s %9s%n", graph.name(),
                    row.get("trainable_params"), "images/s", "min", "median", "max");
            System.out.printf(Locale.ROOT, "%-44s %s%n", "data pipeline (notebook augmentation)", pipe);
            System.out.printf(Locale.ROOT, "%-44s %s (medians %.1f before eager, %.1f after)%n",
                    "training step, batch " + batch, training, Stats.of(trainedBefore).median(),
                    Stats.of(trainedAfter).median());
            System.out.printf(Locale.ROOT, "%-44s %9.1f%n", "inference, PyTorch engine, batch 256",
                    inference.pytorch().throughputImagesPerSecond());
            System.out.printf(Locale.ROOT, "%-44s %9.1f%n", "inference, ONNX Runtime, batch 256",
                    inference.onnxRuntime().throughputImagesPerSecond());
            System.out.printf(Locale.ROOT, "%-44s %9.2f ms (PyTorch engine), %.2f ms (ONNX Runtime)%n",
                    "latency, batch 1", inference.pytorch().latencyMs(), inference.onnxRuntime().latencyMs());
            System.out.printf(Locale.ROOT, "%-44s %9.0f MiB (the JVM's own share %.0f MiB, the rest libtorch and"
                    + " ONNX Runtime)%n", "peak RSS of this JVM for " + graph.name(), peakRss, jvm);
            System.out.printf(Locale.ROOT, "ratio pipeline / training: %.1fx (must be >= 20x)%n",
                    pipe.median() / training.median());
            row.put("pipeline_images_per_second", fmt(pipe.median()));
            row.put("train_images_per_second_min", fmt(training.min()));
            row.put("train_images_per_second_median", fmt(training.median()));
            row.put("train_images_per_second_max", fmt(training.max()));
            row.put("pipeline_over_training", fmt(pipe.median() / training.median()));
            row.put("pytorch_engine_inference_images_per_second", fmt(inference.pytorch().throughputImagesPerSecond()));
            row.put("onnx_runtime_inference_images_per_second",
                    fmt(inference.onnxRuntime().throughputImagesPerSecond()));
            row.put("pytorch_engine_latency_ms_batch1", fmt(inference.pytorch().latencyMs()));
            row.put("onnx_runtime_latency_ms_batch1", fmt(inference.onnxRuntime().latencyMs()));
            row.put("peak_rss_mb", fmt(peakRss));
            row.put("jvm_committed_mb", fmt(jvm));

            if (!eager.isEmpty()) {
                double eagerTrain = eager.get("train_images_per_second_median");
                double infer = eager.get("inference_images_per_second");
                System.out.printf(Locale.ROOT, "PyTorch eager (Python, same network, %s, its faster layout of those"
                        + " run): train %.1f images/s, inference %.1f images/s at batch 256, peak RSS %.0f MiB%n",
                        eagerLayout, eagerTrain, infer, eager.get("peak_rss_mb"));
                System.out.printf(Locale.ROOT, "ratio cnnbench / eager: training %.2fx, inference"
                        + " PyTorch engine %.2fx, ONNX Runtime %.2fx (target >= 1.0x)%n", training.median() / eagerTrain,
                        inference.pytorch().throughputImagesPerSecond() / infer,
                        inference.onnxRuntime().throughputImagesPerSecond() / infer);
                row.put("eager_layout", eagerLayout);
                row.put("eager_train_images_per_second", fmt(eagerTrain));
                row.put("eager_inference_images_per_second", fmt(infer));
                row.put("eager_peak_rss_mb", fmt(eager.get("peak_rss_mb")));
                row.put("train_ratio_vs_eager", fmt(training.median() / eagerTrain));
            }
            rows.add(row);
        }
        writeCsv(Path.of(a.get("csv")), rows);
        System.out.println("\nCSV: " + Path.of(a.get("csv")).toAbsolutePath());
    }

    /** Up to {@code count} full training batches of the notebook's augmentation, images and labels as floats. */
    record Batches(List<float[]> images, List<float[]> labels) {
        static Batches assemble(ImageSet train, int batch, int count) {
            List<float[]> images = new ArrayList<>();
            List<float[]> labels = new ArrayList<>();
            try (BatchStream s = BatchStream.training(train, Augmentation.NOTEBOOK, batch, 42, 0)) {
                while (s.hasNext() && images.size() < count) {
                    try (Batch b = s.next()) {
                        if (b.size() != batch) {
                            break;
                        }
                        float[] x = new float[b.images().remaining()];
                        b.images().duplicate().get(x);
                        images.add(x);
                        float[] y = new float[b.size()];
                        for (int i = 0; i < y.length; i++) {
                            y[i] = b.labels()[i];
                        }
                        labels.add(y);
                    }
                }
            }
            if (images.isEmpty()) {
                throw new IllegalArgumentException("the training set (" + train.size() + " images) holds no full"
                        + " batch of " + batch + "; use a smaller batch");
            }
            return new Batches(images, labels);
        }
    }

    /** Training steps on real, pre-assembled batches (the pipeline is measured separately). */
    static Stats trainingSpeed(Network net, ImageSet train, int batch, int warmup, int steps, int repeats) {
        return Stats.of(trainingRates(net, train, batch, warmup, steps, repeats));
    }

    /** Images per second of each of {@code repeats} runs of {@code steps} steps, after {@code warmup} untimed ones. */
    static double[] trainingRates(Network net, ImageSet train, int batch, int warmup, int steps, int repeats) {
        Batches batches = Batches.assemble(train, batch, 8);
        List<float[]> images = batches.images();
        List<float[]> labels = batches.labels();
        Optimizer optimizer = Optimizer.create("adam", net.parameters(), 0.9, false, 0);
        TrainStep step = new TrainStep(net, optimizer);
        NDManager m = net.manager();
        Shape shape = new Shape(net.graph().inputShape().withBatch(batch));
        double[] rates = new double[repeats];
        for (int r = -1; r < repeats; r++) {
            int n = r < 0 ? warmup : steps;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray x = m.create(images.get(i % images.size()), shape);
                    NDArray y = m.create(labels.get(i % labels.size()));
                    step.run(x, y, 1e-3);
                }
            }
            if (r >= 0) {
                rates[r] = (double) n * batch / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return rates;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** {@code best}: both layouts, the faster is used; or one of them. */
    static List<String> eagerLayouts(String option) {
        return option.equals("best") ? List.of(ImageLayout.NCHW.toString(), ImageLayout.CHANNELS_LAST.toString())
                : List.of(ImageLayout.parse(option).toString());
    }

    /**
     * Runs the Python reference in {@code layout} if torch imports; its last line is key=value pairs. Empty when
     * unavailable.
     */
    static Map<String, Double> eagerReference(Map<String, String> a, Graph graph, int batch, int warmup, int steps,
                                              int repeats, String layout) throws Exception {
        String arch = graph.name();
        Path script = Path.of(a.get("reference"));
        if (!EAGER_ARCHITECTURES.contains(arch) || !Files.exists(script)) {
            return Map.of();
        }
        int imported;
        try {
            imported = new ProcessBuilder(a.get("python"), "-c", "import torch").redirectErrorStream(true).start()
                    .waitFor();
        } catch (IOException e) {
            imported = -1;
        }
        if (imported != 0) {
            System.out.println("(PyTorch eager reference skipped: '" + a.get("python") + " -c \"import torch\"' failed;"
                    + " apt-get install python3-torch)");
            return Map.of();
        }
        ProcessBuilder pb = new ProcessBuilder(a.get("python"), script.toString(), "--arch", arch, "--batch",
                Integer.toString(batch),
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps), "--repeats",
                Integer.toString(repeats), "--memory-format", layout).redirectErrorStream(true);
        // The reference runs with Python's own allocator settings, not this JVM's: by default eager's best
        // configuration measured here, jemalloc keeping its pages (without that MALLOC_CONF jemalloc returns
        // pages after every step and eager is at its slowest); glibc defaults on request or without jemalloc.
        // Eager's reference is float32 whatever cnnbench's precision: its oneDNN gets no math mode either.
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("LD_PRELOAD")
                || k.equals(Precision.ONEDNN_FPMATH_MODE));
        Optional<String> jemalloc = NativeAllocator.installedJemalloc();
        if (a.get("eagerAllocator").equals("jemalloc") && jemalloc.isPresent()) {
            pb.environment().put("LD_PRELOAD", jemalloc.get());
            pb.environment().put("MALLOC_CONF", EAGER_JEMALLOC);
            System.out.println("  [eager] allocator: jemalloc (" + jemalloc.get() + ", MALLOC_CONF=" + EAGER_JEMALLOC
                    + ")");
        } else {
            System.out.println("  [eager] allocator: glibc defaults" + (a.get("eagerAllocator").equals("jemalloc")
                    ? " (libjemalloc.so.2 is not installed: apt-get install libjemalloc2; the ratio is then against"
                    + " a slower eager)" : ""));
        }
        Process p = pb.start();
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("  [eager] " + line);
                last = line;
            }
        }
        if (p.waitFor() != 0) {
            System.out.println("(PyTorch eager reference failed; see its output above)");
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String kv : last.trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
        }
        // A ratio is only meaningful against the same network: parameters and multiply-accumulates must both
        // agree (the parameters alone missed a padding mistake that shrank eager's feature maps).
        if (out.getOrDefault("trainable_params", -1.0) != graph.trainableParameters()
                || out.getOrDefault("macs", -1.0) != graph.macs()) {
            System.out.println("(PyTorch eager reference not used: it built " + out.get("trainable_params")
                    + " trainable parameters and " + out.get("macs") + " multiply-accumulates per image, cnnbench's "
                    + graph.name() + " has " + graph.trainableParameters() + " and " + graph.macs() + ")");
            return Map.of();
        }
        return out;
    }

    /** The rows as CSV, atomically; the header is every key in first-seen order. */
    static void writeCsv(Path file, List<Map<String, String>> rows) {
        List<String> header = new ArrayList<>();
        for (Map<String, String> r : rows) {
            for (String k : r.keySet()) {
                if (!header.contains(k)) {
                    header.add(k);
                }
            }
        }
        AtomicFiles.writeText(file, w -> {
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(new String[0]))
                    .get())) {
                for (Map<String, String> r : rows) {
                    List<String> cells = new ArrayList<>();
                    for (String h : header) {
                        cells.add(r.getOrDefault(h, ""));
                    }
                    p.printRecord(cells);
                }
            }
        });
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
