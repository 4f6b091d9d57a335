package io.cnnbench.arch.resnext;

import static io.cnnbench.testing.Fixtures.assertClose;
import static io.cnnbench.testing.Fixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.cnnbench.api.common.GenericHead;
import io.cnnbench.api.common.GenericTail;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import io.cnnbench.core.djl.LayoutCheck;
import io.cnnbench.core.djl.Network;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ResNeXtTest {
    private final ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());

    @Test
    void seedNetworkHasTheNotebooksParameterCount() {
        Graph g = registry.build(registry.architecture("resnext-seed").spec());
        assertEquals(216_970, g.trainableParameters());
    }

    @Test
    void paperFormCountMatchesAHandCount() {
        // Widths: tail 32; levels at 32 (x4), down to 64, 64 (x4), down to 128, 128 (x5); cardinality 8.
        long tail = 3 * 3 * 3 * 32 + 32;
        long head = 128 * 10 + 10;
        long total = tail + head;
        total += 4 * paperBlock(32, 32, 8);
        total += paperBlock(32, 64, 4) + shortcut(32, 64);
        total += 4 * paperBlock(64, 64, 4);
        total += paperBlock(64, 128, 8) + shortcut(64, 128);
        total += 5 * paperBlock(128, 128, 8);
        Graph g = registry.build(registry.architecture("resnext").spec());
        assertEquals(total, g.trainableParameters());
        assertEquals(200_330, total);
        assertEquals(total, registry.architecture("resnext").spec().expectedTrainableParameters());
    }

    /** reduce 1x1 + BN, grouped 3x3 (8 groups) + BN, expand 1x1 + BN; d = squeeze width per path. */
    private static long paperBlock(int in, int out, int d) {
        int width = 8 * d;
        return (long) in * width + 2 * width + 9L * d * width + 2 * width + (long) width * out + 2 * out;
    }

    private static long shortcut(int in, int out) {
        return (long) in * out + 2 * out;
    }

    @Test
    void optionsChangeTheNetwork() {
        ArchitectureSpec spec = registry.architecture("resnext-seed").spec()
                .withOptions(io.cnnbench.api.spi.Options.of("cardinality", "4", "startDims", "16",
                        "blockRepeats", "1,1,1"));
        Graph g = registry.build(spec);
        assertTrue(g.trainableParameters() < 216_970);
        assertEquals(16, g.node(1).outputShape().channels());
    }

    @Test
    void declaredOptionsCatchATypoThatWouldOtherwiseTrainTheDefault() {
        ArchitectureSpec spec = registry.architecture("resnext").spec();
        assertEquals(java.util.List.of("startDims", "blockRepeats", "tail", "block", "head", "cardinality",
                        "squeezeRatio", "notebookSqueeze", "zeroInitResidual"),
                registry.declaredOptions(spec).stream().map(io.cnnbench.api.spi.OptionSpec::name).toList());
        assertEquals("8", registry.declaredOptions(spec).get(5).defaultValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.checkOptions(spec, io.cnnbench.api.spi.Options.of("cardinalty", "4")));
        assertTrue(e.getMessage().contains("did you mean 'cardinality'?"), e.getMessage());
    }

    /**
     * zeroInitResidual starts every block's last batch-norm scale (and only that one) at 0, so each block starts
     * as the identity; by default all scales start at 1, as in Keras.
     */
    @Test
    void zeroInitResidualZeroesOnlyEachBlocksLastBatchNormScale() {
        for (String name : java.util.List.of("resnext-seed", "resnext")) {
            ArchitectureSpec spec = registry.architecture(name).spec();
            java.util.function.Function<Graph, java.util.List<io.cnnbench.api.graph.Init>> gammaInits = g ->
                    g.nodes().stream().flatMap(n -> n.params().stream())
                            .filter(p -> p.kind() == io.cnnbench.api.graph.ParamSpec.Kind.GAMMA)
                            .map(io.cnnbench.api.graph.ParamSpec::init).toList();
            java.util.List<io.cnnbench.api.graph.Init> plain = gammaInits.apply(registry.build(spec));
            java.util.List<io.cnnbench.api.graph.Init> zeroed = gammaInits.apply(registry.build(
                    spec.withOptions(io.cnnbench.api.spi.Options.of("zeroInitResidual", "true"))));
            assertTrue(plain.stream().allMatch(i -> i == io.cnnbench.api.graph.Init.ONES), name);
            long blocks = 15; // levels 4/4/5 plus two downsampling blocks
            assertEquals(blocks, zeroed.stream().filter(i -> i == io.cnnbench.api.graph.Init.ZEROS).count(), name);
            assertEquals(plain.size(), zeroed.size(), name);
        }
    }

    /** Every seed block's expansion, batch-norm and path sum runs as one on the PyTorch engine (the speed-up). */
    @Test
    void everySeedBlockRunsFusedOnThePyTorchEngine() {
        Graph g = registry.build(registry.architecture("resnext-seed").spec());
        long pathSums = g.nodes().stream().filter(n -> n.op() instanceof io.cnnbench.api.graph.Op.SumPaths).count();
        try (Network net = Network.create(g, 1, Device.cpu())) {
            assertTrue(pathSums > 0);
            assertEquals(pathSums, net.block().fusedRuns());
        }
    }

    @Test
    void fusedBlockEqualsTheNotebooksLiteralPathsInOutputsAndGradients() {
        ArchitectureSpec spec = registry.architecture("resnext-seed").spec();
        Graph fused = registry.build(spec);
        Graph literal = buildLiteral(spec);
        assertEquals(fused.trainableParameters(), literal.trainableParameters());
        Engine engine = Engines.pytorch();
        // On the CPU where libtorch 2.7.1 computes channels-last convolutions wrongly (AMD Zen 5), its NCHW backward
        // passes also returned NaN in some runs (docs/performance.md, "Wrong convolutions in channels-last"), so this
        // exact NCHW comparison cannot be made there.
        Assumptions.assumeFalse(LayoutCheck.knownDefectPresent(), "this CPU shows the known libtorch 2.7.1 defect;"
                + " its NCHW backward pass is unreliable here too, so the fused and literal blocks cannot be compared");
        // Node by node on both sides: this pins the block's graph, not the PyTorch back end's fused evaluation
        // of it, whose float rounding differs (framework-core's PathsExpansionTest and the ONNX parity checks
        // cover that). In NCHW for the same reason: channels-last sums in another order, and through 15 blocks
        // of batch-norm over 4 images that reaches 1e-2 of the first kernel's gradient, between two runs of one
        // graph alike (ImageLayoutTest covers the layout).
        try (Network lit = Network.create(literal, 11, Device.cpu(), false, ImageLayout.NCHW);
             Network fus = Network.create(fused, 99, Device.cpu(), false, ImageLayout.NCHW)) {
            copyLiteralIntoFused(literal, lit, fused, fus);
            float[] images = gaussian(4 * 3 * 28 * 28, 5);
            float[] probe = gaussian(4 * 10, 6);
            try (NDManager m = lit.manager().newSubManager()) {
                NDArray x = m.create(images, new Shape(4, 3, 28, 28));
                assertClose("inference", lit.forward(x, false).toFloatArray(), fus.forward(x, false).toFloatArray(), 1e-5);
                float[] litOut;
                float[] fusOut;
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray y = lit.forward(x, true);
                    litOut = y.toFloatArray();
                    gc.backward(y.mul(m.create(probe, new Shape(4, 10))).sum());
                }
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray y = fus.forward(x, true);
                    fusOut = y.toFloatArray();
                    gc.backward(y.mul(m.create(probe, new Shape(4, 10))).sum());
                }
                assertClose("training-mode output", litOut, fusOut, 1e-5);
                Map<String, float[]> litGrads = new HashMap<>();
                for (var p : lit.parameters()) {
                    if (p.requiresGradient()) {
                        litGrads.put(p.getName(), p.getArray().getGradient().toFloatArray());
                    }
                }
                int checked = 0;
                for (var p : fus.parameters()) {
                    List<String> sources = literalSources(p.getName(), literal);
                    float[] expected = concat(sources, p.requiresGradient() ? litGrads : runningStats(lit, sources));
                    float[] actual = p.requiresGradient() ? p.getArray().getGradient().toFloatArray()
                            : p.getArray().toFloatArray();
                    assertClose((p.requiresGradient() ? "gradient of " : "running stat ") + p.getName(), expected,
                            actual, 1e-5);
                    checked++;
                }
                assertEquals(fused.parameters().size(), checked);
            }
        }
    }

    @Test
    void forwardAndBackwardGiveTenLogitsPerImage() {
        Graph g = registry.build(registry.architecture("resnext").spec());
        Engine engine = Engines.pytorch();
        try (Network net = Network.create(g, 3, Device.cpu()); NDManager m = net.manager().newSubManager()) {
            NDArray x = m.create(gaussian(2 * 3 * 28 * 28, 1), new Shape(2, 3, 28, 28));
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray y = net.forward(x, true);
                assertEquals(new Shape(2, 10), y.getShape());
                gc.backward(y.sum());
            }
            double gradNorm = net.parameters().get(0).getArray().getGradient().abs().sum().getFloat();
            assertTrue(gradNorm > 0, "the tail kernel receives a gradient");
        }
    }

    private Graph buildLiteral(ArchitectureSpec spec) {
        Graph g = new Graph(spec.name() + "-literal", spec.inputShape());
        Tensor x;
        try (Graph.Scope s = g.scope("tail")) {
            x = new GenericTail().build(g, g.input(), spec.startDims(), spec.options());
        }
        x = spec.body().build(g, x, new NotebookLiteralBlock(), spec.startDims(), spec.options());
        try (Graph.Scope s = g.scope("head")) {
            x = new GenericHead().build(g, x, spec.numClasses(), spec.options());
        }
        g.setOutput(x);
        return g;
    }

    private static final Map<String, String> FUSED_TO_LITERAL = Map.of(
            "paths/squeeze_conv", "conv", "paths/bn", "bn", "paths/transform_conv", "conv_1", "paths/bn_1", "bn_1",
            "paths/expand_conv", "conv_2", "paths/bn_2", "bn_2");

    /** The literal parameters (one per path, in path order) that a fused parameter stacks. */
    private static List<String> literalSources(String fusedName, Graph literal) {
        for (var e : FUSED_TO_LITERAL.entrySet()) {
            String marker = "/" + e.getKey() + "/";
            int at = fusedName.indexOf(marker);
            if (at >= 0) {
                String block = fusedName.substring(0, at);
                String suffix = fusedName.substring(at + marker.length());
                List<String> names = new java.util.ArrayList<>();
                for (int p = 0; p < 8; p++) {
                    names.add(block + "/path" + p + "/" + e.getValue() + "/" + suffix);
                }
                return names;
            }
        }
        return List.of(fusedName);
    }

    private static void copyLiteralIntoFused(Graph literal, Network lit, Graph fused, Network fus) {
        Map<String, float[]> values = new HashMap<>();
        for (ParamSpec p : literal.parameters()) {
            values.put(p.name(), lit.parameterValues(p.name()));
        }
        for (ParamSpec p : fused.parameters()) {
            fus.setParameter(p.name(), concat(literalSources(p.name(), literal), values));
        }
    }

    private static Map<String, float[]> runningStats(Network lit, List<String> names) {
        Map<String, float[]> m = new HashMap<>();
        for (String n : names) {
            m.put(n, lit.parameterValues(n));
        }
        return m;
    }

    private static float[] concat(List<String> names, Map<String, float[]> values) {
        int n = 0;
        for (String s : names) {
            n += values.get(s).length;
        }
        float[] out = new float[n];
        int at = 0;
        for (String s : names) {
            float[] v = values.get(s);
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }
}
