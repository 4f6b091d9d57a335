package io.cnnbench.benchmarks;

import ai.djl.Device;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.Network;
import io.cnnbench.core.onnx.InferenceTiming;
import io.cnnbench.core.onnx.ModelMetadata;
import io.cnnbench.core.onnx.OnnxChannelBlock;
import io.cnnbench.core.onnx.OnnxExporter;
import io.cnnbench.core.onnx.OnnxForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Inference speed of the two ONNX forms ({@code cnn.onnxForm}) against the PyTorch engine, without training:
 * the seeded network is exported in both forms and each file is timed with {@link InferenceTiming} (batch-1
 * latency, batch-256 throughput, medians after warm-up). The engine is timed beside each file, so it appears
 * twice; the two engine figures show how noisy the machine is.
 *
 * <p>Arguments are key=value: {@code architecture=resnext-seed warmup=3 latencyRuns=30 throughputRuns=5 batch=256
 * channelBlocks=auto} ({@code cnn.onnxChannelBlock} values, comma-separated: the inference form is timed once per
 * block, e.g. {@code channelBlocks=8,16} to see which suits a new CPU).
 */
public final class OnnxFormSpeed {
    private OnnxFormSpeed() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchmarkArgs.parse(Map.of("architecture", "resnext-seed", "warmup", "3",
                "latencyRuns", "30", "throughputRuns", "5", "batch", "256", "channelBlocks", "auto"), args);
        InferenceTiming.Settings settings = new InferenceTiming.Settings(Integer.parseInt(a.get("warmup")),
                Integer.parseInt(a.get("latencyRuns")), Integer.parseInt(a.get("throughputRuns")),
                Integer.parseInt(a.get("batch")));
        Graph graph = BenchmarkArgs.architecture(a.get("architecture"));
        Engines.pytorch();
        System.out.printf(Locale.ROOT, "%s, %d cores, %s%n", graph.name(), Runtime.getRuntime().availableProcessors(),
                settings);
        System.out.printf(Locale.ROOT, "%-42s %12s %14s%n", "", "images/s", "batch-1 ms");
        try (Network net = Network.create(graph, 42, Device.cpu())) {
            ModelMetadata metadata = ModelMetadata.of(graph.name(), new double[3], new double[3],
                    ModelMetadata.CIFAR10_CLASSES);
            timeForm(net, metadata, OnnxForm.TRAINING, OnnxChannelBlock.AUTO, settings);
            for (String block : a.get("channelBlocks").split(",")) {
                timeForm(net, metadata, OnnxForm.INFERENCE, OnnxChannelBlock.parse(block), settings);
            }
        }
    }

    private static void timeForm(Network net, ModelMetadata metadata, OnnxForm form, OnnxChannelBlock block,
                                 InferenceTiming.Settings settings) throws IOException {
        String name = form == OnnxForm.INFERENCE
                ? form.settingValue() + ", block " + block.resolved().settingValue()
                : form.settingValue();
        Path file = Files.createTempFile("cnnbench-" + form.settingValue() + "-", ".onnx");
        try {
            OnnxExporter.export(net, metadata, form, block, file);
            int nodes = OnnxExporter.read(file).getGraph().getNodeCount();
            InferenceTiming.Result r = InferenceTiming.measure(net, file, settings);
            print("PyTorch engine (beside " + name + ")", r.pytorch());
            print("ONNX Runtime, " + name + " (" + nodes + " nodes)", r.onnxRuntime());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void print(String label, InferenceTiming.EngineTiming t) {
        System.out.printf(Locale.ROOT, "%-42s %12.1f %14.2f%n", label, t.throughputImagesPerSecond(), t.latencyMs());
    }
}
