package io.cnnbench.arch.resnext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.core.djl.Network;
import io.cnnbench.core.onnx.ModelMetadata;
import io.cnnbench.core.onnx.OnnxCheck;
import io.cnnbench.core.onnx.OnnxCheckResult;
import io.cnnbench.core.onnx.OnnxExporter;
import io.cnnbench.core.onnx.OnnxForm;
import io.cnnbench.core.onnx.OnnxModelRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ResNeXt networks exported to ONNX and run in ONNX Runtime agree with the PyTorch engine, both as
 * initialised and after training-mode passes have moved the batch-norm running statistics away from (0, 1).
 */
class OnnxExportResNeXtTest {
    private static final double[] MEAN = {125.30691805, 122.95039414, 113.86538318};
    private static final double[] STD = {62.99321928, 62.08870764, 66.70489964};

    private final ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"resnext-seed", "resnext"})
    void untrainedExportAgreesWithTheEngine(String architecture) throws IOException {
        Graph g = registry.build(registry.architecture(architecture).spec());
        try (Network net = Network.create(g, 42, Device.cpu())) {
            check(architecture + " (seeded init)", net, architecture);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnext-seed", "resnext"})
    void exportAfterTrainingModePassesAgreesWithTheEngine(String architecture) throws IOException {
        Graph g = registry.build(registry.architecture(architecture).spec());
        try (Network net = Network.create(g, 42, Device.cpu())) {
            float before = net.parameterValues(firstRunningMean(g))[0];
            for (int step = 0; step < 3; step++) {
                try (NDManager m = net.manager().newSubManager()) {
                    net.forward(m.create(images(32, g, 100 + step), new Shape(g.inputShape().withBatch(32))), true);
                }
            }
            float after = net.parameterValues(firstRunningMean(g))[0];
            assertTrue(before != after, "training-mode passes should have moved the running mean");
            check(architecture + " (after 3 training-mode passes)", net, architecture);
        }
    }

    @Test
    void exportedSeedNetworkIsValidOnnxAndSaysWhatItIs() throws Exception {
        Graph g = registry.build(registry.architecture("resnext-seed").spec());
        try (Network net = Network.create(g, 42, Device.cpu())) {
            Path file = OnnxExporter.export(net, metadata("resnext-seed"), dir.resolve("resnext-seed.onnx"));
            var model = OnnxExporter.read(file);
            assertEquals(List.of(), OnnxModelRules.violations(model));
            Map<String, String> meta = OnnxExporter.metadata(model);
            assertEquals("216970", meta.get("cnnbench.trainable_parameters"));
            assertEquals("resnext-seed", meta.get("cnnbench.architecture"));
            assertTrue(meta.get("cnnbench.input_layout").startsWith("NCHW float32 [N,3,28,28]"));
            assertEquals("inference", meta.get("cnnbench.onnx_form"));
            // Folded: every batch-norm follows a convolution only it reads, every path expansion is one Conv.
            var training = OnnxExporter.toModel(net, metadata("resnext-seed"), OnnxForm.TRAINING);
            System.out.println("resnext-seed nodes: training form " + training.getGraph().getNodeCount() + " ("
                    + count(training, "BatchNormalization") + " BatchNormalization, " + count(training, "ReduceSum")
                    + " ReduceSum), inference form " + model.getGraph().getNodeCount());
            assertEquals(0, count(model, "BatchNormalization"));
            assertEquals(0, count(model, "ReduceSum"));
            assertOfficialCheckerAccepts(file);
        }
    }

    private void check(String label, Network net, String architecture) throws IOException {
        Path file = OnnxExporter.export(net, metadata(architecture), dir.resolve(architecture + ".onnx"));
        List<OnnxCheck.Batch> batches = new ArrayList<>();
        Random labels = new Random(3);
        for (int b = 0; b < 4; b++) {
            int[] y = new int[64];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels.nextInt(10);
            }
            batches.add(new OnnxCheck.Batch(images(64, net.graph(), b), y, 64));
        }
        OnnxCheckResult r = new OnnxCheck().run(file, net, batches.iterator());
        System.out.println(label + ": " + r.message());
        assertTrue(r.passed(), label + ": " + r.message());
        assertTrue(r.top1Agreement() >= 0.999, r.message());
    }

    private static long count(ai.onnx.proto.OnnxMl.ModelProto m, String opType) {
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(opType)).count();
    }

    private static ModelMetadata metadata(String architecture) {
        return ModelMetadata.of(architecture, MEAN, STD, ModelMetadata.CIFAR10_CLASSES);
    }

    private static String firstRunningMean(Graph g) {
        return g.parameters().stream().filter(p -> p.name().endsWith("/moving_mean")).findFirst().orElseThrow()
                .name();
    }

    /** Normalised-looking images: standard normal values. */
    private static float[] images(int n, Graph g, long seed) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(n * g.inputShape().size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /**
     * {@code onnx.checker.check_model(full_check=True)} from the official package (Debian's python3-onnx);
     * skipped where it is not installed.
     */
    private static void assertOfficialCheckerAccepts(Path file) throws IOException, InterruptedException {
        String python = null;
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import onnx").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    break;
                }
            } catch (IOException e) {
                // Not installed under this name; try the next.
            }
        }
        assumeTrue(python != null, "the official ONNX checker is not installed (apt-get install python3-onnx)");
        Process p = new ProcessBuilder(python, "-c", "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]),"
                + " full_check=True); print('onnx', onnx.__version__, 'checker accepted', sys.argv[1])",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the official ONNX checker did not finish");
        assertEquals(0, p.exitValue(), "the official ONNX checker rejected " + file + ":\n" + out);
        System.out.println(out.trim());
    }
}
