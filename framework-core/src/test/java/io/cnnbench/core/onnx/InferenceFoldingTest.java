package io.cnnbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.core.djl.Network;
import io.cnnbench.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference form against the training form of the same network with random, non-trivial weights and
 * batch-norm statistics (gamma, beta, running mean and variance away from 1 and 0): the same logits in ONNX
 * Runtime within 1e-5 relative, fewer nodes, and the trained network's own check passing on the folded file.
 */
class InferenceFoldingTest {
    private static final double RELATIVE_TOLERANCE = 1e-5;
    private static final int PATHS = 4;

    @TempDir
    Path dir;

    /**
     * conv 3x3 (no bias) → BN → ReLU → ResNeXt path expansion (grouped 1×1 to 4 paths × 6, BN, sum) → ReLU
     * → conv 1×1 with bias → BN → ReLU → pool → dense → BN. Every batch-norm is foldable.
     */
    private static Graph foldable() {
        Graph g = new Graph("foldable", Dims.of(3, 8, 8));
        Tensor x = g.relu(g.batchNorm(g.conv2d(g.input(), ConvSpec.of(8, 3))));
        x = g.conv2d(x, ConvSpec.of(PATHS * 6, 1).groups(PATHS), "expand_conv");
        x = g.relu(g.sumPaths(g.batchNorm(x), PATHS));
        x = g.relu(g.batchNorm(g.conv2d(x, ConvSpec.of(5, 1).bias(true))));
        g.setOutput(g.batchNorm(g.dense(g.globalAvgPool(x, false), 10, false)));
        return g;
    }

    /**
     * Batch-norms that must stay: a convolution whose output a second node reads (the residual add), and a path
     * expansion whose batch-norm output a second node reads (so its sum stays; the batch-norm itself still folds
     * into the grouped convolution, which only it reads).
     */
    private static Graph sharedOutputs() {
        Graph g = new Graph("shared", Dims.of(4, 6, 6));
        Tensor conv = g.conv2d(g.input(), ConvSpec.of(8, 3));
        Tensor x = g.relu(g.add(g.batchNorm(conv), conv));
        Tensor paths = g.batchNorm(g.conv2d(x, ConvSpec.of(PATHS * 2, 1).groups(PATHS)));
        Tensor summed = g.sumPaths(paths, PATHS);
        Tensor side = g.globalAvgPool(paths, false);
        g.setOutput(g.dense(g.add(g.globalAvgPool(summed, false), g.dense(side, 2, false)), 10, true));
        return g;
    }

    @Test
    void foldedModelGivesTheTrainingFormsLogitsWithFewerNodes() throws Exception {
        Graph g = foldable();
        try (Network net = Network.create(g, 3, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 41);
            OnnxMl.ModelProto training = OnnxExporter.toModel(net, OnnxTestSupport.metadata("t"), OnnxForm.TRAINING);
            OnnxMl.ModelProto inference = OnnxExporter.toModel(net, OnnxTestSupport.metadata("i"));

            assertEquals(4, count(training, "BatchNormalization"));
            assertEquals(1, count(training, "ReduceSum"));
            assertEquals(0, count(inference, "BatchNormalization"), ops(inference).toString());
            assertEquals(0, count(inference, "ReduceSum") + count(inference, "Reshape"), ops(inference).toString());
            assertEquals(List.of("Conv", "Relu", "Conv", "Relu", "Conv", "Relu", "GlobalAveragePool", "Flatten",
                    "Gemm"), ops(inference));
            assertTrue(inference.getGraph().getNodeCount() < training.getGraph().getNodeCount());
            assertEquals("inference", OnnxExporter.metadata(inference).get(OnnxExporter.KEY_ONNX_FORM));
            assertEquals("training", OnnxExporter.metadata(training).get(OnnxExporter.KEY_ONNX_FORM));

            // The fused expansion is one dense 1×1 convolution from the 8 channels to 6, with a bias.
            OnnxMl.NodeProto fused = inference.getGraph().getNode(2);
            assertEquals(List.of(1L), attribute(fused, "group").stream().toList());
            assertEquals(List.of(6L, 8L, 1L, 1L), initializer(inference, fused.getInput(1)).getDimsList());
            assertEquals(List.of(6L), initializer(inference, fused.getInput(2)).getDimsList());
            assertEquals(List.of(), OnnxModelRules.violations(inference));

            assertSameLogits(g, training, inference);
            // The run's own check (engine against ONNX Runtime, default tolerances) passes on the folded file.
            Path file = OnnxExporter.write(inference, dir.resolve("inference.onnx"));
            OnnxCheckResult r = new OnnxCheck().run(file, net, OnnxExportTest.batches(g, 2, 32, 9).iterator());
            assertTrue(r.passed(), r.message());
            assertTrue(r.maxAbsDiff() <= RELATIVE_TOLERANCE * Math.max(1, r.maxAbsLogit()), r.message());
        }
    }

    @Test
    void batchNormWhoseLayerOutputHasASecondReaderIsNotFolded() throws Exception {
        Graph g = sharedOutputs();
        try (Network net = Network.create(g, 3, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 42);
            OnnxMl.ModelProto training = OnnxExporter.toModel(net, OnnxTestSupport.metadata("t"), OnnxForm.TRAINING);
            OnnxMl.ModelProto inference = OnnxExporter.toModel(net, OnnxTestSupport.metadata("i"));

            assertEquals(2, count(training, "BatchNormalization"));
            assertEquals(1, count(inference, "BatchNormalization"), "the residual's stays: " + ops(inference));
            assertTrue(batchNormReadsASharedValue(inference), ops(inference).toString());
            assertEquals(1, count(inference, "ReduceSum"), "the sum stays: its batch-norm has a second reader");
            assertEquals(1, InferenceFolding.of(g, net::parameterValues, 8).rewrites());
            assertSameLogits(g, training, inference);
        }
    }

    /**
     * For AVX2's 8-channel blocks, grouped convolutions with 4-channel groups get 8-channel ones (with and without a
     * batch-norm folded into them first) and 2-channel groups merge four; groups that are already whole blocks and
     * depthwise ones are written as they are. For AVX-512's 16-channel blocks the 4-channel groups merge four, the
     * 8-channel ones two, and the 2-channel ones, which would need eight, stay.
     */
    @Test
    void groupsNarrowerThanAChannelBlockAreWidenedAndKeepTheirLogits() throws Exception {
        Graph g = new Graph("groups", Dims.of(16, 6, 6));
        Tensor x = g.relu(g.batchNorm(g.conv2d(g.input(), ConvSpec.of(16, 3).groups(4), "narrow_folded")));
        x = g.conv2d(x, ConvSpec.of(32, 3).groups(4).bias(true), "narrow_plain");
        x = g.conv2d(x, ConvSpec.of(32, 3).groups(32), "depthwise");
        x = g.conv2d(x, ConvSpec.of(32, 1).groups(4), "whole_blocks");
        x = g.conv2d(x, ConvSpec.of(32, 3).groups(16), "too_narrow");
        g.setOutput(g.dense(g.globalAvgPool(x, false), 10, true));
        try (Network net = Network.create(g, 3, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 44);
            OnnxMl.ModelProto training = OnnxExporter.toModel(net, OnnxTestSupport.metadata("t"), OnnxForm.TRAINING);
            OnnxMl.ModelProto inference = OnnxExporter.toModel(g, net::parameterValues, OnnxTestSupport.metadata("i"),
                    OnnxForm.INFERENCE, OnnxChannelBlock.AVX2);
            List<OnnxMl.NodeProto> convs = inference.getGraph().getNodeList().stream()
                    .filter(n -> n.getOpType().equals("Conv")).toList();
            assertEquals(List.of(2L, 2L, 32L, 4L, 4L), convs.stream().map(n -> attribute(n, "group").get(0)).toList());
            assertEquals(List.of(16L, 8L, 3L, 3L), initializer(inference, convs.get(0).getInput(1)).getDimsList());
            assertEquals("narrow_folded/folded_widened_kernel", convs.get(0).getInput(1));
            assertEquals(List.of(32L, 8L, 3L, 3L), initializer(inference, convs.get(1).getInput(1)).getDimsList());
            assertEquals("narrow_plain/widened_kernel", convs.get(1).getInput(1));
            assertEquals(3, convs.get(1).getInputCount(), "the plain convolution keeps its bias");
            assertEquals(List.of(32L, 1L, 3L, 3L), initializer(inference, convs.get(2).getInput(1)).getDimsList());
            assertEquals(List.of(32L, 8L, 3L, 3L), initializer(inference, convs.get(4).getInput(1)).getDimsList());
            assertEquals("8", OnnxExporter.metadata(inference).get(OnnxExporter.KEY_ONNX_CHANNEL_BLOCK));

            // Block-diagonal: output o was in group o/8 (8 outputs, 4 inputs each); merged in pairs, its group
            // has 8 inputs, of which o reads only its own group's 4, and the other 4 weights are exact zeros.
            float[] wide = floats(initializer(inference, convs.get(1).getInput(1)));
            for (int o = 0; o < 32; o++) {
                int own = o / 8 % 2;
                for (int i = 0; i < 8; i++) {
                    for (int t = 0; t < 9; t++) {
                        float v = wide[(o * 8 + i) * 9 + t];
                        assertEquals(i / 4 != own, v == 0f, "output " + o + ", input " + i + ", tap " + t);
                    }
                }
            }
            assertEquals(List.of(), OnnxModelRules.violations(inference));
            assertSameLogits(g, training, inference);

            OnnxMl.ModelProto avx512 = OnnxExporter.toModel(g, net::parameterValues, OnnxTestSupport.metadata("w"),
                    OnnxForm.INFERENCE, OnnxChannelBlock.AVX512);
            List<OnnxMl.NodeProto> wideConvs = avx512.getGraph().getNodeList().stream()
                    .filter(n -> n.getOpType().equals("Conv")).toList();
            assertEquals(List.of(1L, 1L, 32L, 2L, 16L), wideConvs.stream().map(n -> attribute(n, "group").get(0))
                    .toList());
            assertEquals(List.of(32L, 16L, 3L, 3L), initializer(avx512, wideConvs.get(1).getInput(1)).getDimsList());
            assertEquals("16", OnnxExporter.metadata(avx512).get(OnnxExporter.KEY_ONNX_CHANNEL_BLOCK));
            assertSameLogits(g, training, avx512);
            List<Path> files = new java.util.ArrayList<>();
            for (OnnxMl.ModelProto model : List.of(inference, avx512)) {
                Path file = OnnxExporter.write(model, dir.resolve("groups-"
                        + OnnxExporter.metadata(model).get(OnnxExporter.KEY_ONNX_CHANNEL_BLOCK) + ".onnx"));
                OnnxCheckResult r = new OnnxCheck().run(file, net, OnnxExportTest.batches(g, 2, 8, 9).iterator());
                assertTrue(r.passed(), file + ": " + r.message());
                files.add(file);
            }
            System.out.println(OnnxTestSupport.assertOfficialCheckerAccepts(files));
        }
        assertEquals(2, InferenceFolding.widening(8, 4, 4, 8));
        assertEquals(4, InferenceFolding.widening(8, 4, 4, 16));
        assertEquals(1, InferenceFolding.widening(8, 8, 8, 8));
        assertEquals(2, InferenceFolding.widening(8, 8, 8, 16));
        assertEquals(1, InferenceFolding.widening(3, 4, 4, 8), "an odd number of groups cannot be paired");
        assertEquals(1, InferenceFolding.widening(16, 2, 2, 16), "would need 8 groups merged");
    }

    @Test
    void theChannelBlockIsTheCpusAndSpeltAsTheSettingIs() {
        assertEquals(OnnxChannelBlock.AVX512, OnnxChannelBlock.fromCpuInfo(
                "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512dq\n"));
        assertEquals(OnnxChannelBlock.AVX2, OnnxChannelBlock.fromCpuInfo(
                "processor\t: 0\nflags\t\t: fpu sse avx2 fma\nbugs\t\t: avx512f_not_a_flag_line\n"));
        assertEquals(16, OnnxChannelBlock.AVX512.channels());
        assertEquals(OnnxChannelBlock.thisCpu().channels(), OnnxChannelBlock.AUTO.channels());
        assertEquals(OnnxChannelBlock.thisCpu(), OnnxChannelBlock.AUTO.resolved());
        assertEquals(OnnxChannelBlock.AVX2, OnnxChannelBlock.AVX2.resolved());
        assertEquals(OnnxChannelBlock.AVX2, OnnxChannelBlock.parse(" 8 "));
        assertEquals(OnnxChannelBlock.AUTO, OnnxChannelBlock.parse("AUTO"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxChannelBlock.parse("32"));
        assertTrue(e.getMessage().startsWith("must be auto, 8, 16"), e.getMessage());
    }

    @Test
    void tinyAllOpsNetworkFoldsWhereItCanAndKeepsItsLogits() throws Exception {
        Graph g = OnnxTestSupport.tinyAllOpsNetwork();
        try (Network net = Network.create(g, 3, Device.cpu())) {
            OnnxTestSupport.randomiseParameters(net, 43);
            OnnxMl.ModelProto training = OnnxExporter.toModel(net, OnnxTestSupport.metadata("t"), OnnxForm.TRAINING);
            OnnxMl.ModelProto inference = OnnxExporter.toModel(net, OnnxTestSupport.metadata("i"));
            // The tail's and the 3×3 paths convolution's batch-norms fold; the head's follows an add and stays.
            assertEquals(3, count(training, "BatchNormalization"));
            assertEquals(1, count(inference, "BatchNormalization"));
            assertEquals(1, count(inference, "ReduceSum"), "a 3x3 grouped convolution is not a path expansion");
            assertSameLogits(g, training, inference);
            Path file = OnnxExporter.write(inference, dir.resolve("tiny.onnx"));
            System.out.println(OnnxTestSupport.assertOfficialCheckerAccepts(List.of(file,
                    OnnxExporter.write(training, dir.resolve("tiny-training.onnx")))));
        }
    }

    @Test
    void theFormIsReadFromItsSettingValue() {
        assertEquals(OnnxForm.INFERENCE, OnnxForm.parse("inference"));
        assertEquals(OnnxForm.TRAINING, OnnxForm.parse(" Training "));
        assertEquals("must be inference or training",
                assertThrows(IllegalArgumentException.class, () -> OnnxForm.parse("folded")).getMessage());
    }

    /** Both models on the same inputs in ONNX Runtime, batch 5 and batch 1, within 1e-5 relative. */
    private void assertSameLogits(Graph g, OnnxMl.ModelProto training, OnnxMl.ModelProto inference)
            throws Exception {
        Path a = OnnxExporter.write(training, dir.resolve(g.name() + "-training.onnx"));
        Path b = OnnxExporter.write(inference, dir.resolve(g.name() + "-inference.onnx"));
        try (OnnxRuntimeModel ta = OnnxRuntimeModel.load(a); OnnxRuntimeModel tb = OnnxRuntimeModel.load(b)) {
            for (int batch : new int[] {5, 1}) {
                Shape shape = new Shape(g.inputShape().withBatch(batch));
                float[] x = Fixtures.gaussian(Math.toIntExact(shape.size()), 100 + batch, 2.0);
                float[] expected = ta.forward(x, shape);
                float[] actual = tb.forward(x, shape);
                double diff = OnnxTestSupport.maxAbsDiff(expected, actual);
                double limit = RELATIVE_TOLERANCE * Math.max(1, OnnxTestSupport.maxAbs(expected));
                assertTrue(diff <= limit, g.name() + ", batch " + batch + ": max |diff| " + diff + " > " + limit);
                assertTrue(OnnxTestSupport.maxAbs(expected) > 0.1, "the logits should not be trivially small");
            }
        }
    }

    private static List<String> ops(OnnxMl.ModelProto m) {
        return m.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
    }

    private static long count(OnnxMl.ModelProto m, String opType) {
        return ops(m).stream().filter(opType::equals).count();
    }

    private static List<Long> attribute(OnnxMl.NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name))
                .flatMap(a -> a.getIntsCount() > 0 ? a.getIntsList().stream() : java.util.stream.Stream.of(a.getI()))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static float[] floats(OnnxMl.TensorProto t) {
        java.nio.FloatBuffer b = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    private static OnnxMl.TensorProto initializer(OnnxMl.ModelProto m, String name) {
        Map<String, OnnxMl.TensorProto> inits = m.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(OnnxMl.TensorProto::getName, t -> t));
        assertTrue(inits.containsKey(name), "no initializer " + name);
        return inits.get(name);
    }

    /** Whether the input of the one BatchNormalization left is also read by an Add: the shared conv output. */
    private static boolean batchNormReadsASharedValue(OnnxMl.ModelProto m) {
        String x = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("BatchNormalization"))
                .findFirst().orElseThrow().getInput(0);
        return m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Add")
                && n.getInputList().contains(x));
    }
}
