package io.cnnbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Op;
import io.cnnbench.api.graph.Padding;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.core.djl.ImageLayout;
import io.cnnbench.core.djl.LayoutCheck;
import io.cnnbench.core.djl.Network;
import io.cnnbench.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation's DJL form against its ONNX form: the same graph, the same weights, run on the PyTorch
 * engine and in ONNX Runtime. Passing means max |difference| ≤ 1e-5 × max(1, max |output|).
 */
class OnnxOpParityTest {
    private static final double RELATIVE_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    /** A one-operation graph (plus what feeds it) named after what it covers. */
    record OpCase(String name, Dims input, Function<Graph, Tensor> build) {
        Graph graph() {
            Graph g = new Graph(name, input);
            g.setOutput(build.apply(g));
            return g;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<OpCase> cases() {
        List<OpCase> c = new ArrayList<>();
        c.add(new OpCase("conv 3x3 stride 1 with bias", Dims.of(4, 6, 6),
                g -> g.conv2d(g.input(), ConvSpec.of(6, 3).bias(true))));
        c.add(new OpCase("conv 3x3 stride 2 groups 2, Keras asymmetric same", Dims.of(4, 6, 6),
                g -> g.conv2d(g.input(), ConvSpec.of(6, 3).stride(2).groups(2))));
        c.add(new OpCase("conv 3x3 stride 2 on 6x9: asymmetric rows, symmetric columns", Dims.of(3, 6, 9),
                g -> g.conv2d(g.input(), ConvSpec.of(4, 3).stride(2).bias(true))));
        c.add(new OpCase("conv 3x3 stride 2 depthwise on odd size", Dims.of(4, 7, 7),
                g -> g.conv2d(g.input(), ConvSpec.of(8, 3).stride(2).groups(4))));
        c.add(new OpCase("conv 5x5 valid", Dims.of(3, 8, 8),
                g -> g.conv2d(g.input(), ConvSpec.of(5, 5).padding(Padding.VALID).bias(true))));
        c.add(new OpCase("conv 1x1 stride 2", Dims.of(4, 6, 6),
                g -> g.conv2d(g.input(), ConvSpec.of(8, 1).stride(2))));
        c.add(new OpCase("batch-norm on a feature map", Dims.of(5, 4, 4), g -> g.batchNorm(g.input())));
        c.add(new OpCase("batch-norm on a vector", Dims.of(6, 3, 3),
                g -> g.batchNorm(g.globalAvgPool(g.input(), false), 0.99, 1e-5)));
        for (Op.Activation.Kind kind : Op.Activation.Kind.values()) {
            c.add(new OpCase("activation " + kind, Dims.of(4, 5, 5), g -> g.activation(g.input(), kind)));
        }
        c.add(new OpCase("add 2 inputs", Dims.of(4, 5, 5),
                g -> g.add(g.input(), g.conv2d(g.input(), ConvSpec.of(4, 3)))));
        c.add(new OpCase("add 8 inputs", Dims.of(4, 5, 5), g -> {
            Tensor[] rest = new Tensor[7];
            for (int i = 0; i < rest.length; i++) {
                rest[i] = g.conv2d(g.input(), ConvSpec.of(4, 1).bias(true));
            }
            return g.add(g.input(), rest);
        }));
        c.add(new OpCase("sum over 4 paths", Dims.of(12, 3, 5), g -> g.sumPaths(g.input(), 4)));
        c.add(new OpCase("multiply, squeeze-excite broadcast", Dims.of(6, 5, 5),
                g -> g.multiply(g.input(), g.sigmoid(g.globalAvgPool(g.input(), true)))));
        c.add(new OpCase("multiply, same shape", Dims.of(3, 4, 4),
                g -> g.multiply(g.input(), g.conv2d(g.input(), ConvSpec.of(3, 3)))));
        c.add(new OpCase("global average pool keepDims", Dims.of(6, 5, 7), g -> g.globalAvgPool(g.input(), true)));
        c.add(new OpCase("global average pool flat", Dims.of(6, 5, 7), g -> g.globalAvgPool(g.input(), false)));
        c.add(new OpCase("dense with bias", Dims.of(6, 2, 2),
                g -> g.dense(g.globalAvgPool(g.input(), false), 10, true)));
        c.add(new OpCase("dense without bias", Dims.of(6, 2, 2),
                g -> g.dense(g.globalAvgPool(g.input(), false), 3, false)));
        c.add(new OpCase("dropout at inference", Dims.of(4, 3, 3), g -> g.dropout(g.input(), 0.5)));
        c.add(new OpCase("reshape map to vector", Dims.of(3, 2, 4), g -> g.reshape(g.input(), 24)));
        c.add(new OpCase("reshape vector to map", Dims.of(6, 2, 2),
                g -> g.reshape(g.globalAvgPool(g.input(), false), 3, 2, 1)));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void djlAndOnnxRuntimeAgree(OpCase opCase) throws Exception {
        Graph g = opCase.graph();
        // Where libtorch computes the op differently in its two layouts on this CPU (LayoutCheck; cnn:benchmark
        // refuses such networks), the export is held to the engine in NCHW, which was right wherever it was checked.
        ImageLayout layout = LayoutCheck.disagreement(g, Device.cpu(), true).isPresent()
                ? ImageLayout.NCHW : ImageLayout.defaultFor(Device.cpu());
        try (Network net = Network.create(g, 3, Device.cpu(), true, layout)) {
            OnnxTestSupport.randomiseParameters(net, 17);
            Path file = OnnxExporter.export(net, OnnxTestSupport.metadata(opCase.name()), dir.resolve("op.onnx"));
            try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(file)) {
                // Two batch sizes through one file: the batch axis is dynamic.
                for (int batch : new int[] {3, 1}) {
                    Shape shape = new Shape(g.inputShape().withBatch(batch));
                    // Scale 3 reaches both bends of relu6 / hard-sigmoid (at -3 and +3).
                    float[] x = Fixtures.gaussian(Math.toIntExact(shape.size()), batch, 3.0);
                    float[] expected;
                    try (NDManager m = net.manager().newSubManager()) {
                        expected = net.forward(m.create(x, shape), false).toFloatArray();
                    }
                    float[] actual = ort.forward(x, shape);
                    double diff = OnnxTestSupport.maxAbsDiff(expected, actual);
                    double limit = RELATIVE_TOLERANCE * Math.max(1, OnnxTestSupport.maxAbs(expected));
                    assertTrue(diff <= limit, opCase + ", batch " + batch + ": max |diff| " + diff + " > " + limit);
                }
            }
        }
    }

    @Test
    void asymmetricCaseReallyIsAsymmetric() {
        Graph g = cases().filter(c -> c.name().contains("asymmetric same")).findFirst().orElseThrow().graph();
        Op.Conv2d conv = (Op.Conv2d) g.outputNode().op();
        assertNotEquals(conv.padTop(), conv.padBottom());
        assertArrayEquals(new int[] {0, 1, 0, 1},
                new int[] {conv.padTop(), conv.padBottom(), conv.padLeft(), conv.padRight()});
    }

    @Test
    void everyOperationsModelPassesTheOfficialChecker() throws Exception {
        List<Path> files = new ArrayList<>();
        int i = 0;
        for (OpCase opCase : cases().toList()) {
            try (Network net = Network.create(opCase.graph(), 3, Device.cpu())) {
                files.add(OnnxExporter.export(net, OnnxTestSupport.metadata(opCase.name()),
                        dir.resolve("op" + i++ + ".onnx")));
            }
        }
        System.out.println(OnnxTestSupport.assertOfficialCheckerAccepts(files));
    }
}
