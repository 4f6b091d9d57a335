package io.cnnbench.arch.mobilenetv3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.Op;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.StageTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MobileNetV3Test {
    private final ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());

    /**
     * torchvision's {@code _mobilenet_v3_conf}, one {@code bneck_conf(input, kernel, expanded, out, use_se,
     * activation, stride, dilation)} per line, transcribed in its own column order so that a slip in our
     * table (a stride, a non-linearity, an SE flag: things a parameter count cannot see) shows up here.
     */
    private static final List<String> TORCHVISION_LARGE = List.of(
            "16, 3, 16, 16, False, RE, 1, 1",
            "16, 3, 64, 24, False, RE, 2, 1",
            "24, 3, 72, 24, False, RE, 1, 1",
            "24, 5, 72, 40, True, RE, 2, 1",
            "40, 5, 120, 40, True, RE, 1, 1",
            "40, 5, 120, 40, True, RE, 1, 1",
            "40, 3, 240, 80, False, HS, 2, 1",
            "80, 3, 200, 80, False, HS, 1, 1",
            "80, 3, 184, 80, False, HS, 1, 1",
            "80, 3, 184, 80, False, HS, 1, 1",
            "80, 3, 480, 112, True, HS, 1, 1",
            "112, 3, 672, 112, True, HS, 1, 1",
            "112, 5, 672, 160, True, HS, 2, 1",
            "160, 5, 960, 160, True, HS, 1, 1",
            "160, 5, 960, 160, True, HS, 1, 1");
    private static final List<String> TORCHVISION_SMALL = List.of(
            "16, 3, 16, 16, True, RE, 2, 1",
            "16, 3, 72, 24, False, RE, 2, 1",
            "24, 3, 88, 24, False, RE, 1, 1",
            "24, 5, 96, 40, True, HS, 2, 1",
            "40, 5, 240, 40, True, HS, 1, 1",
            "40, 5, 240, 40, True, HS, 1, 1",
            "40, 5, 120, 48, True, HS, 1, 1",
            "48, 5, 144, 48, True, HS, 1, 1",
            "48, 5, 288, 96, True, HS, 2, 1",
            "96, 5, 576, 96, True, HS, 1, 1",
            "96, 5, 576, 96, True, HS, 1, 1");

    @ParameterizedTest(name = "{0}: {1} trainable parameters, {2} MACs")
    @CsvSource({
        // torchvision's mobilenet_v3_small / mobilenet_v3_large (1,000 classes), counted the same way.
        "mobilenetv3-small-224, 2542856, 56510400",
        "mobilenetv3-large-224, 5483032, 216589760",
        // The CIFAR adaptations: 10 classes (the classifier shrinks by 1,014,990 / 1,268,190 parameters).
        "mobilenetv3-small, 1528106, 14927688",
        "mobilenetv3-large, 4214842, 55053128"})
    void parameterAndMacCountsArePinned(String name, long parameters, long macs) {
        ArchitectureSpec spec = registry.architecture(name).spec();
        Graph g = registry.build(spec);
        assertEquals(parameters, g.trainableParameters());
        assertEquals(parameters, spec.expectedTrainableParameters());
        assertEquals(macs, g.macs());
    }

    @Test
    void stageTablesAreTorchvisionsConfigurationRowByRow() {
        assertEquals(TORCHVISION_LARGE, transcribe(registry.architecture("mobilenetv3-large-224").spec()));
        assertEquals(TORCHVISION_SMALL, transcribe(registry.architecture("mobilenetv3-small-224").spec()));
    }

    @Test
    void cifarVariantsDifferFromThePaperOnlyInTheDocumentedStridesAndTheData() {
        for (String[] pair : new String[][] {{"mobilenetv3-small", "mobilenetv3-small-224"},
            {"mobilenetv3-large", "mobilenetv3-large-224"}}) {
            ArchitectureSpec cifar = registry.architecture(pair[0]).spec();
            ArchitectureSpec paper = registry.architecture(pair[1]).spec();
            assertEquals(Dims.of(3, 28, 28), cifar.inputShape());
            assertEquals(10, cifar.numClasses());
            assertEquals("1", cifar.options().getString("stemStride", ""));
            assertEquals("2", paper.options().getString("stemStride", ""));
            List<StageTable.Stage> c = ((StageTable) cifar.body()).stages();
            List<StageTable.Stage> p = ((StageTable) paper.body()).stages();
            assertEquals(p.size(), c.size());
            List<Integer> changed = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                assertEquals(p.get(i).outDims(), c.get(i).outDims());
                assertEquals(p.get(i).options(), c.get(i).options());
                if (p.get(i).downsample() != c.get(i).downsample()) {
                    changed.add(i);
                }
            }
            assertEquals(pair[0].contains("small") ? List.of(0) : List.of(1), changed, pair[0]);
        }
    }

    @ParameterizedTest
    @CsvSource({"mobilenetv3-small, 4", "mobilenetv3-large, 4", "mobilenetv3-small-224, 7",
        "mobilenetv3-large-224, 7"})
    void lastFeatureMapKeepsSpatialResolution(String name, int size) {
        Graph g = registry.build(registry.architecture(name).spec());
        Node headConv = node(g, "head/conv");
        Dims in = g.node(headConv.inputs().get(0)).outputShape();
        assertEquals(size, in.height(), name);
        assertEquals(size, in.width(), name);
    }

    @Test
    void blocksHaveThePapersStructure() {
        Graph small = registry.build(registry.architecture("mobilenetv3-small-224").spec());
        // First row: exp size equals the input width, so no expansion layer; SE squeezes 16 to 8 (16/4 → ≥ 8).
        assertTrue(small.nodes().stream().noneMatch(n -> n.name().startsWith("stage0/expand_conv")));
        assertEquals(8, node(small, "stage0/se/reduce_conv").outputShape().channels());
        assertEquals(16, node(small, "stage0/se/expand_conv").outputShape().channels());
        assertInstanceOf(Op.Activation.Kind.HARD_SIGMOID, node(small, "stage0/se/hard_sigmoid"));
        assertInstanceOf(Op.Activation.Kind.RELU, node(small, "stage0/relu"));
        assertInstanceOf(Op.Activation.Kind.HARD_SWISH, node(small, "stage3/hard_swish"));
        // Depthwise: one group per channel, 5×5 from row 3 on, stride on the depthwise convolution.
        Op.Conv2d dw = (Op.Conv2d) node(small, "stage3/depthwise_conv").op();
        assertEquals(96, dw.groups());
        assertEquals(5, dw.kernelH());
        assertEquals(2, dw.strideH());
        // Residuals only where stride 1 keeps the width: rows 2, 4, 5, 7, 9, 10 of Table 2.
        List<Integer> residual = new ArrayList<>();
        for (int i = 0; i < TORCHVISION_SMALL.size(); i++) {
            String prefix = "stage" + i + "/add";
            if (small.nodes().stream().anyMatch(n -> n.name().equals(prefix))) {
                residual.add(i);
            }
        }
        assertEquals(List.of(2, 4, 5, 7, 9, 10), residual);
        // SE width rounding: Large's row 3 expands to 72, a quarter is 18, which rounds to 16 < 0.9·18, so 24.
        Graph large = registry.build(registry.architecture("mobilenetv3-large-224").spec());
        assertEquals(24, node(large, "stage3/se/reduce_conv").outputShape().channels());
        // The head: 960 = 6 × 160 with BN, then the pooled 1×1 (dense) 1280 without BN, then 1,000 classes.
        assertEquals(960, node(large, "head/conv").outputShape().channels());
        assertEquals(1280, node(large, "head/conv_nbn").outputShape().channels());
        assertFalse(large.nodes().stream().anyMatch(n -> n.name().startsWith("head/bn_1")));
        assertEquals(0.2, ((Op.Dropout) node(large, "head/dropout").op()).rate(), 0.0);
    }

    @Test
    void batchNormFollowsTheRecipe() {
        Graph paper = registry.build(registry.architecture("mobilenetv3-large-224").spec());
        Graph cifar = registry.build(registry.architecture("mobilenetv3-large").spec());
        for (Node n : paper.nodes()) {
            if (n.op() instanceof Op.BatchNorm bn) {
                assertEquals(0.001, bn.epsilon(), 0.0, n.name());
                assertEquals(0.99, bn.momentum(), 0.0, n.name());
            }
        }
        for (Node n : cifar.nodes()) {
            if (n.op() instanceof Op.BatchNorm bn) {
                assertEquals(0.001, bn.epsilon(), 0.0, n.name());
                assertEquals(0.9, bn.momentum(), 0.0, n.name());
            }
        }
    }

    @ParameterizedTest(name = "alpha {1}: {0} has {2} trainable parameters")
    @CsvSource({
        // torchvision's width rules: every width (stem, exp size, #out, the pooled 1×1) rounded with
        // _make_divisible(c × alpha, 8), SE at _make_divisible(expanded // 4, 8), last conv 6 × the last #out.
        "mobilenetv3-small-224, 0.75, 1653920",
        "mobilenetv3-large-224, 0.75, 3377576",
        "mobilenetv3-small, 0.5, 409394"})
    void widthMultiplierScalesEveryWidthToMultiplesOfEight(String name, String alpha, long parameters) {
        ArchitectureSpec spec = registry.architecture(name).spec().withOptions(Options.of("alpha", alpha));
        Graph g = registry.build(spec);
        assertEquals(parameters, g.trainableParameters());
        assertEquals(-1, spec.expectedTrainableParameters(), "an override voids the declared count");
        for (Node n : g.nodes()) {
            if (n.op() instanceof Op.Conv2d && !n.name().contains("/se/") && !n.name().equals("head/conv")) {
                assertEquals(0, n.outputShape().channels() % 8, n.name() + " " + n.outputShape());
            }
        }
    }

    @Test
    void makeDivisibleMatchesTorchvision() {
        // _make_divisible(v, 8): nearest multiple of 8, at least 8, never more than 10% below v.
        assertEquals(8, MobileNetV3Settings.makeDivisible(4));
        assertEquals(16, MobileNetV3Settings.makeDivisible(12));
        assertEquals(24, MobileNetV3Settings.makeDivisible(18));
        assertEquals(32, MobileNetV3Settings.makeDivisible(28));
        assertEquals(144, MobileNetV3Settings.makeDivisible(144));
        assertEquals(168, MobileNetV3Settings.makeDivisible(166));
    }

    @Test
    void everyPartDeclaresTheOptionsItReads() {
        ArchitectureSpec spec = registry.architecture("mobilenetv3-small").spec();
        java.util.List<String> names = registry.declaredOptions(spec).stream()
                .map(io.cnnbench.api.spi.OptionSpec::name).toList();
        assertEquals(java.util.List.of("startDims", "tail", "block", "head", "alpha", "bnMomentum", "bnEpsilon",
                "stemStride", "kernel",
                "expandDims", "expandRatio", "se", "activation", "headExpansion", "headDims", "dropout"), names);
        // Every option a registered recipe sets, its own or a stage-table row's, is declared.
        for (String name : java.util.List.of("mobilenetv3-small", "mobilenetv3-large", "mobilenetv3-small-224",
                "mobilenetv3-large-224")) {
            io.cnnbench.tck.ArchitectureChecks.declaredOptions(registry, registry.architecture(name).spec());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.checkOptions(spec, Options.of("aplha", "0.5")));
        assertTrue(e.getMessage().contains("did you mean 'alpha'?"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.checkOptions(spec, Options.of("se", "maybe")));
    }

    @Test
    void badOptionsSayWhichKeyAndWhatIsAccepted() {
        ArchitectureSpec spec = registry.architecture("mobilenetv3-small").spec();
        // A stage table's rows set the activation; a composition takes it from the options.
        ArchitectureSpec composed = MobileNetV3ConformanceTest.mobileNetBlockUnderGenericHead();
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class,
                () -> registry.build(composed.withOptions(Options.of("activation", "gelu"))));
        assertTrue(act.getMessage().contains("'activation'") && act.getMessage().contains("hswish"), act.getMessage());
        IllegalArgumentException alpha = assertThrows(IllegalArgumentException.class,
                () -> registry.build(spec.withOptions(Options.of("alpha", "0"))));
        assertTrue(alpha.getMessage().contains("'alpha'"), alpha.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> registry.build(spec.withOptions(Options.of("stemStride", "0"))));
        assertTrue(stride.getMessage().contains("'stemStride'"), stride.getMessage());
        // Values a layer would otherwise quietly drop, or round to a width of 8.
        for (String[] bad : new String[][] {{"dropout", "-0.1"}, {"dropout", "NaN"}, {"dropout", "1"},
            {"headDims", "0"}, {"expandRatio", "0"}, {"expandDims", "-16"}}) {
            // The head's options on the registered network, the block's under the generic head (a stage table's
            // rows set the expansion themselves).
            ArchitectureSpec on = bad[0].startsWith("expand") ? composed : spec;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> registry.build(on.withOptions(Options.of(bad[0], bad[1]))), bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains("'" + bad[0] + "'"), e.getMessage());
        }
        RuntimeException epsilon = assertThrows(io.cnnbench.api.graph.GraphException.class,
                () -> registry.build(spec.withOptions(Options.of("bnEpsilon", "Infinity"))));
        assertTrue(epsilon.getMessage().contains("epsilon"), epsilon.getMessage());
        // What they let through: no dropout at all.
        registry.build(spec.withOptions(Options.of("dropout", "0")));
    }

    @Test
    void resnextBlockUnderTheMobileNetHeadBuildsFromTheOtherPlugin() {
        ArchitectureSpec spec = MobileNetV3ConformanceTest.resnextBlockUnderMobileNetHead();
        Graph g = registry.build(spec);
        // ResNeXt's body ends at 128 channels on 7×7; the head: 1×1 conv to 6·128 = 768 with BN, pooled 1×1 to
        // 1024 with bias, classifier to 10.
        long head = 128L * 768 + 2 * 768 + 768L * 1024 + 1024 + 1024L * 10 + 10;
        Graph resnext = registry.build(registry.architecture("resnext").spec());
        long resnextHead = 128L * 10 + 10;
        assertEquals(resnext.trainableParameters() - resnextHead + head, g.trainableParameters());
        assertEquals(Dims.of(128, 7, 7), g.node(node(g, "head/conv").inputs().get(0)).outputShape());
    }

    private static List<String> transcribe(ArchitectureSpec spec) {
        List<String> rows = new ArrayList<>();
        int in = MobileNetV3Architectures.STEM_DIMS;
        for (StageTable.Stage s : ((StageTable) spec.body()).stages()) {
            Options o = s.options();
            rows.add(String.format(Locale.ROOT, "%d, %d, %d, %d, %s, %s, %d, 1", in, o.getInt("kernel", -1),
                    o.getInt("expandDims", -1), s.outDims(), o.getBoolean("se", false) ? "True" : "False",
                    Nonlinearity.parse(o.getString("activation", "")) == Nonlinearity.RELU ? "RE" : "HS",
                    s.downsample() ? 2 : 1));
            in = s.outDims();
        }
        return rows;
    }

    private static Node node(Graph g, String name) {
        return g.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " in " + g.name()));
    }

    private static void assertInstanceOf(Op.Activation.Kind kind, Node n) {
        assertTrue(n.op() instanceof Op.Activation a && a.kind() == kind, n.name() + " is " + n.op());
    }
}
