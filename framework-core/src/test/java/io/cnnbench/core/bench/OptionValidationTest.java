package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.common.GenericHead;
import io.cnnbench.api.common.GenericTail;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.OptionSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.VggBody;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BenchmarkRunner#selectedArchitectures()} checks every option before anything is built or read:
 * the architecture it names, its key and its type; compositions' own options too.
 */
class OptionValidationTest {

    static final class GroupedBlock implements BlockProvider {
        @Override
        public String name() {
            return "test-grouped-block";
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.ofInt("cardinality", 8, "groups"));
        }

        @Override
        public Tensor build(Graph g, Tensor x, BlockArgs args) {
            int groups = args.options().getInt("cardinality", 8);
            return g.relu(g.conv2d(x, ConvSpec.of(args.outDims(), 3).stride(args.stride()).groups(groups)));
        }
    }

    static final class Cifar implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return ArchitectureSpec.builder("test-cifar").tail(GenericTail.NAME).block("test-grouped-block")
                    .head(GenericHead.NAME).startDims(8).body(new VggBody(2, new int[] {1, 1}, 1))
                    .options(Options.of("cardinality", "8")).build();
        }
    }

    static final class ImageNet implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return ArchitectureSpec.builder("test-imagenet").tail(GenericTail.NAME).block("test-grouped-block")
                    .head(GenericHead.NAME).inputShape(Dims.of(3, 224, 224)).numClasses(1000).startDims(8)
                    .body(new VggBody(1, new int[] {1}, 0)).build();
        }
    }

    /** A block with a residual branch that knows the zeroInitResidual option. */
    static final class ResidualBlock implements BlockProvider {
        @Override
        public String name() {
            return "test-residual-block";
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.ofBoolean("zeroInitResidual", false, "zero the branch's last scale"));
        }

        @Override
        public Tensor build(Graph g, Tensor x, BlockArgs args) {
            return g.relu(g.conv2d(x, ConvSpec.of(args.outDims(), 3).stride(args.stride())));
        }
    }

    static final class Residual implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return ArchitectureSpec.builder("test-residual").tail(GenericTail.NAME).block("test-residual-block")
                    .head(GenericHead.NAME).startDims(8).body(new VggBody(1, new int[] {1}, 0)).build();
        }
    }

    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(new GenericTail(), new GenericHead(),
            new GroupedBlock(), new Cifar(), new ImageNet());
    private static final ProviderRegistry WITH_RESIDUAL = ProviderRegistry.of(new GenericTail(), new GenericHead(),
            new GroupedBlock(), new ResidualBlock(), new Cifar(), new Residual());

    /**
     * cnn.zeroInitResidual reaches every selected architecture whose block declares zeroInitResidual, and no
     * other; an explicit architecture option wins; a block swapped in by cnn.options decides for itself.
     */
    @Test
    void zeroInitResidualReachesTheArchitecturesThatDeclareIt() {
        BenchmarkConfig both = new BenchmarkConfig().set(Settings.ZERO_INIT_RESIDUAL, "true")
                .architectures(List.of("test-residual", "test-cifar"));
        List<ArchitectureSpec> specs = selectWithResidual(both);
        assertEquals("true", specs.get(0).options().getString("zeroInitResidual", "unset"));
        assertEquals("unset", specs.get(1).options().getString("zeroInitResidual", "unset"));
        assertEquals("unset", selectWithResidual(new BenchmarkConfig().architectures(List.of("test-residual")))
                .get(0).options()
                .getString("zeroInitResidual", "unset"), "off by default");
        assertEquals("false", selectWithResidual(new BenchmarkConfig().set(Settings.ZERO_INIT_RESIDUAL, "true")
                .architectures(List.of("test-residual"))
                .architectureOptions("test-residual", Options.of("zeroInitResidual", "false"))).get(0).options()
                .getString("zeroInitResidual", "unset"), "the architecture's own option wins");
        ArchitectureSpec swapped = selectWithResidual(new BenchmarkConfig().set(Settings.ZERO_INIT_RESIDUAL, "true")
                .architectures(List.of("test-residual"))
                .architectureOptions("test-residual", Options.of("block", "test-grouped-block"))).get(0);
        assertEquals("test-grouped-block", swapped.block());
        assertEquals("unset", swapped.options().getString("zeroInitResidual", "unset"));
    }

    /** A registered architecture whose spec sets zeroInitResidual=false: the provider's default. */
    static final class ResidualWithDefault implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return ArchitectureSpec.builder("test-residual-default").tail(GenericTail.NAME)
                    .block("test-residual-block").head(GenericHead.NAME).startDims(8)
                    .body(new VggBody(1, new int[] {1}, 0)).options(Options.of("zeroInitResidual", "false")).build();
        }
    }

    /**
     * A composition's own zeroInitResidual is as explicit as one in cnn.options, so the run-wide setting (or the
     * ci protocol's preset) does not override it; a registered architecture's own value is the provider's default,
     * which the run-wide setting does override.
     */
    @Test
    void aCompositionsOwnZeroInitResidualWinsOverTheRunWideSettingAndAProvidersDefaultDoesNot() {
        ProviderRegistry registry = ProviderRegistry.of(new GenericTail(), new GenericHead(), new ResidualBlock(),
                new ResidualWithDefault());
        for (BenchmarkConfig runWide : List.of(new BenchmarkConfig().set(Settings.ZERO_INIT_RESIDUAL, "true"),
                new BenchmarkConfig().set(Settings.PROTOCOL, "ci"))) {
            List<ArchitectureSpec> specs = new BenchmarkRunner(registry, runWide
                    .compose(new Composition("composed-off", GenericTail.NAME, "test-residual-block",
                            GenericHead.NAME, "1", 0, 8, 28, Options.of("zeroInitResidual", "false")))
                    .compose(new Composition("composed-unset", GenericTail.NAME, "test-residual-block",
                            GenericHead.NAME, "1", 0, 8, 28, Options.empty()))).selectedArchitectures();
            assertEquals(List.of("test-residual-default", "composed-off", "composed-unset"),
                    specs.stream().map(ArchitectureSpec::name).toList());
            assertEquals("true", specs.get(0).options().getString("zeroInitResidual", "unset"),
                    "the provider's default is not the user's choice");
            assertEquals("false", specs.get(1).options().getString("zeroInitResidual", "unset"),
                    "the composition's own option wins");
            assertEquals("true", specs.get(2).options().getString("zeroInitResidual", "unset"),
                    "a composition that leaves it unset gets the run-wide value");
        }
    }

    private static List<ArchitectureSpec> select(BenchmarkConfig cfg) {
        return new BenchmarkRunner(REGISTRY, cfg).selectedArchitectures();
    }

    private static List<ArchitectureSpec> selectWithResidual(BenchmarkConfig cfg) {
        return new BenchmarkRunner(WITH_RESIDUAL, cfg).selectedArchitectures();
    }

    private static Composition composition(Options options) {
        return new Composition("test-composed", GenericTail.NAME, "test-grouped-block", GenericHead.NAME, "1,1", 1,
                8, 28, options);
    }

    @Test
    void declaredOptionsAreApplied() {
        List<ArchitectureSpec> specs = select(new BenchmarkConfig()
                .architectureOptions("test-cifar", Options.of("cardinality", "4", "startDims", "16")));
        assertEquals(List.of("test-cifar"), specs.stream().map(ArchitectureSpec::name).toList());
        assertEquals("4", specs.get(0).options().getString("cardinality", ""));
        assertEquals(16, specs.get(0).startDims());
    }

    @Test
    void aMisspelledOptionFailsInsteadOfTrainingTheDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .architectures(List.of("test-cifar"))
                .architectureOptions("test-cifar", Options.of("cardinalty", "4"))));
        assertTrue(e.getMessage().contains("unknown option 'cardinalty' for architecture test-cifar"),
                e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'cardinality'?"), e.getMessage());
        assertTrue(e.getMessage().contains("startDims, blockRepeats, tail, block, head, cardinality"), e.getMessage());
    }

    @Test
    void aMistypedValueFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .architectureOptions("test-cifar", Options.of("cardinality", "eight"))));
        assertTrue(e.getMessage().contains("option 'cardinality'") && e.getMessage().contains("'eight'")
                && e.getMessage().contains("int"), e.getMessage());
    }

    @Test
    void optionsForAnUnknownArchitectureFailListingSelectedAndKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .architectureOptions("test-cifra", Options.of("cardinality", "4"))));
        String m = e.getMessage();
        assertTrue(m.contains("unknown architecture 'test-cifra'"), m);
        assertTrue(m.contains("test-cifra.cardinality"), m);
        assertTrue(m.contains("did you mean 'test-cifar'?"), m);
        assertTrue(m.contains("Selected: test-cifar."), m);
        assertTrue(m.contains("Known: test-cifar, test-imagenet"), m);
    }

    @Test
    void optionsForAnArchitectureThisRunDoesNotSelectFail() {
        IllegalArgumentException notDefault = assertThrows(IllegalArgumentException.class,
                () -> select(new BenchmarkConfig().architectureOptions("test-imagenet", Options.of("cardinality", "2"))));
        assertTrue(notDefault.getMessage().contains("test-imagenet, which this run does not select"),
                notDefault.getMessage());
        assertTrue(notDefault.getMessage().contains("Selected: test-cifar"), notDefault.getMessage());
        IllegalArgumentException notNamed = assertThrows(IllegalArgumentException.class,
                () -> select(new BenchmarkConfig().architectures(List.of("test-imagenet"))
                        .architectureOptions("test-cifar", Options.of("cardinality", "2"))));
        assertTrue(notNamed.getMessage().contains("Selected: test-imagenet"), notNamed.getMessage());
        // Named, it is selected and its options apply.
        assertEquals("2", select(new BenchmarkConfig().architectures(List.of("test-imagenet"))
                .architectureOptions("test-imagenet", Options.of("cardinality", "2"))).get(0).options()
                .getString("cardinality", ""));
    }

    @Test
    void aCompositionsOwnOptionsAreCheckedAgainstItsParts() {
        assertEquals("2", select(new BenchmarkConfig().compose(composition(Options.of("cardinality", "2"))))
                .stream().filter(s -> s.name().equals("test-composed")).findFirst().orElseThrow().options()
                .getString("cardinality", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .compose(composition(Options.of("cardinalty", "2")))));
        assertTrue(e.getMessage().contains("composition test-composed"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'cardinality'?"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .architectures(List.of("test-composed")).compose(composition(Options.of("cardinality", "x")))));
        // Options given by name reach a composition like any architecture, and are checked the same way.
        assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .compose(composition(Options.empty()))
                .architectureOptions("test-composed", Options.of("cardinalty", "2"))));
    }
}
