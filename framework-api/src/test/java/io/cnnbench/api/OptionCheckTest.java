package io.cnnbench.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.common.GenericHead;
import io.cnnbench.api.common.GenericTail;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.registry.ProviderException;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.OptionCheck;
import io.cnnbench.api.spi.OptionSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.StageTable;
import io.cnnbench.api.spi.VggBody;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Declared options: unknown keys and mistyped values fail with messages that say what to write instead. */
class OptionCheckTest {

    /** A block that reads two options, as ResNeXt's do. */
    static final class WideBlock implements BlockProvider {
        @Override
        public String name() {
            return "test-wide-block";
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.ofInt("cardinality", 8, "paths"),
                    OptionSpec.ofDouble("squeezeRatio", 0.25, "squeeze"),
                    OptionSpec.ofBoolean("shortcut", true, "identity shortcut"),
                    OptionSpec.ofString("activation", "relu", "relu or hswish"));
        }

        @Override
        public Tensor build(Graph g, Tensor x, BlockArgs args) {
            return g.relu(g.conv2d(x, ConvSpec.of(args.outDims(), 3).stride(args.stride())));
        }
    }

    /** An architecture provider that declares an option of its own. */
    static final class TestNet implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return ArchitectureSpec.builder("test-net").tail(GenericTail.NAME).block("test-wide-block")
                    .head(GenericHead.NAME).startDims(8).body(new VggBody(2, new int[] {1, 1}, 1)).build();
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.ofIntList("widths", "8,16", "per-level widths"));
        }
    }

    /** A second block, with no options, to swap in. */
    static final class PlainBlock implements BlockProvider {
        @Override
        public String name() {
            return "test-plain-block";
        }

        @Override
        public Tensor build(Graph g, Tensor x, BlockArgs args) {
            return g.conv2d(x, ConvSpec.of(args.outDims(), 1).stride(args.stride()));
        }
    }

    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(new GenericTail(), new GenericHead(),
            new WideBlock(), new PlainBlock(), new TestNet());

    /** A block swapped in keeps the architecture's name (so its baseline still judges it) and changes the graph. */
    @Test
    void aBlockSwappedInByOptionBuildsUnderTheArchitecturesName() {
        Options swap = Options.of("block", "test-plain-block");
        assertDoesNotThrow(() -> REGISTRY.checkOptions(spec(), swap));
        ArchitectureSpec swapped = spec().withOptions(swap);
        assertEquals("test-net", swapped.name());
        assertEquals("test-plain-block", swapped.block());
        Graph g = REGISTRY.build(swapped);
        // Only the tail's ReLU is left: the wide block's are gone with it.
        assertEquals(1, g.nodes().stream().filter(n -> n.op() instanceof io.cnnbench.api.graph.Op.Activation).count());
        assertTrue(g.trainableParameters() < REGISTRY.build(spec()).trainableParameters());
        // Options must suit the block swapped in: the plain block has no cardinality.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.checkOptions(spec(), Options.of("block", "test-plain-block", "cardinality", "4")));
        assertTrue(e.getMessage().contains("unknown option 'cardinality'"), e.getMessage());
        ProviderException unknown = assertThrows(ProviderException.class,
                () -> REGISTRY.checkOptions(spec(), Options.of("block", "no-such-block")));
        assertTrue(unknown.getMessage().contains("unknown block 'no-such-block'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("test-plain-block"), unknown.getMessage());
    }

    private static ArchitectureSpec spec() {
        return REGISTRY.architecture("test-net").spec();
    }

    @Test
    void declaredOptionsAreTheUnionOfBodyArchitectureTailBlockAndHead() {
        List<String> names = REGISTRY.declaredOptions(spec()).stream().map(OptionSpec::name).toList();
        assertEquals(List.of("startDims", "blockRepeats", "tail", "block", "head", "widths", "cardinality",
                "squeezeRatio", "shortcut", "activation"), names);
        OptionSpec repeats = REGISTRY.declaredOptions(spec()).get(1);
        assertEquals(OptionSpec.Type.INT_LIST, repeats.type());
        assertEquals("1,1", repeats.defaultValue());
        assertEquals("8", REGISTRY.declaredOptions(spec()).get(0).defaultValue());
    }

    @Test
    void declaredKeysOfTheRightTypePass() {
        assertDoesNotThrow(() -> REGISTRY.checkOptions(spec(), Options.of("cardinality", " 4", "squeezeRatio", "0.5",
                "shortcut", "FALSE", "activation", "hswish", "startDims", "16", "blockRepeats", "2, 2",
                "widths", "4,8")));
        assertDoesNotThrow(() -> REGISTRY.checkOptions(spec(), Options.empty()));
    }

    @Test
    void aMisspelledKeyFailsNamingKeyArchitectureValidKeysAndTheClosestOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.checkOptions(spec(), Options.of("cardinalty", "4")));
        String m = e.getMessage();
        assertTrue(m.contains("unknown option 'cardinalty'"), m);
        assertTrue(m.contains("test-net"), m);
        assertTrue(m.contains("did you mean 'cardinality'?"), m);
        assertTrue(m.contains("startDims, blockRepeats, tail, block, head, widths, cardinality, squeezeRatio, shortcut,"
                + " activation"), m);
    }

    @Test
    void aKeyFarFromEveryValidOneGetsNoSuggestion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.checkOptions(spec(), Options.of("learningRate", "0.1")));
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown option 'learningRate'"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeFailsNamingKeyValueAndType() {
        String[][] cases = {{"cardinality", "four", "an int"}, {"cardinality", "4.5", "an int"},
            {"squeezeRatio", "quarter", "a double"}, {"shortcut", "yes", "a boolean"},
            {"blockRepeats", "2,x", "an intList"}, {"startDims", "", "an int"}};
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> REGISTRY.checkOptions(spec(), Options.of(c[0], c[1])), c[0] + "=" + c[1]);
            String m = e.getMessage();
            assertTrue(m.contains("option '" + c[0] + "'") && m.contains("'" + c[1] + "'") && m.contains(c[2]), m);
            assertTrue(m.contains("test-net"), m);
        }
    }

    /** A negative count of blocks parsed as an intList and built a level of no blocks (VggBody looped zero times). */
    @Test
    void negativeBlockRepeatsAreRefusedNamingTheArchitectureAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec().withOptions(Options.of("blockRepeats", "-2,2")));
        assertTrue(e.getMessage().contains("test-net: blockRepeats"), e.getMessage());
        assertTrue(e.getMessage().contains("-2") && e.getMessage().contains("0 or more"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VggBody(2, new int[] {1, -1}, 1));
        // A level of no repeated blocks still has its downsampling block: 0 is allowed.
        Graph g = REGISTRY.build(spec().withOptions(Options.of("blockRepeats", "0,1")));
        assertEquals(3, g.nodes().stream().filter(n -> n.op() instanceof io.cnnbench.api.graph.Op.Activation)
                .count(), "the ReLUs of the tail, level 0's downsampling block and level 1's block");
    }

    @Test
    void blockRepeatsIsAnOptionOfVggBodiesOnly() {
        ArchitectureSpec table = ArchitectureSpec.builder("test-table").tail(GenericTail.NAME)
                .block("test-wide-block").head(GenericHead.NAME)
                .body(new StageTable(List.of(new StageTable.Stage(8, false, Options.empty())))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.checkOptions(table, Options.of("blockRepeats", "2")));
        assertTrue(e.getMessage().contains("unknown option 'blockRepeats'"), e.getMessage());
        // The architecture provider's own options count only for the architecture of that name.
        assertThrows(IllegalArgumentException.class, () -> REGISTRY.checkOptions(table, Options.of("widths", "1")));
        assertDoesNotThrow(() -> REGISTRY.checkOptions(table, Options.of("startDims", "16")));
    }

    @Test
    void aSpecsOwnOptionsMayNotSetBodyKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REGISTRY.checkPartOptions(spec(), Options.of("startDims", "16")));
        assertTrue(e.getMessage().contains("unknown option 'startDims'"), e.getMessage());
        assertDoesNotThrow(() -> REGISTRY.checkPartOptions(spec(), Options.of("cardinality", "2")));
    }

    @Test
    void anUnknownPartFailsAsBeforeListingKnownOnes() {
        ArchitectureSpec s = ArchitectureSpec.builder("x").tail("no-such-tail").block("test-wide-block")
                .head(GenericHead.NAME).body(new VggBody(1, new int[] {1}, 0)).build();
        ProviderException e = assertThrows(ProviderException.class,
                () -> REGISTRY.checkOptions(s, Options.of("cardinality", "2")));
        assertTrue(e.getMessage().contains("unknown tail 'no-such-tail'"), e.getMessage());
    }

    @Test
    void suggestionsUseEditDistanceOrCase() {
        List<String> valid = List.of("cardinality", "squeezeRatio", "startDims");
        assertEquals("cardinality", OptionCheck.closest("cardinalty", valid));
        assertEquals("cardinality", OptionCheck.closest("caridnality", valid));
        assertEquals("squeezeRatio", OptionCheck.closest("squeezeratio", valid));
        assertEquals("startDims", OptionCheck.closest("startdim", valid));
        assertNull(OptionCheck.closest("dropout", valid));
        assertNull(OptionCheck.closest("x", List.of()));
    }

    @Test
    void noDeclaredOptionsSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptionCheck.check("bare", List.of(), Options.of("k", "v")));
        assertTrue(e.getMessage().contains("declare no options"), e.getMessage());
    }

    @Test
    void typesAcceptWhatOptionsParsesAndDefaultsMustMatchTheirType() {
        assertTrue(OptionSpec.Type.INT.accepts(" -3 "));
        assertFalse(OptionSpec.Type.INT.accepts("3000000000"));
        assertTrue(OptionSpec.Type.DOUBLE.accepts("1e-3"));
        assertTrue(OptionSpec.Type.BOOLEAN.accepts("True"));
        assertTrue(OptionSpec.Type.INT_LIST.accepts("4, 4,5"));
        assertFalse(OptionSpec.Type.INT_LIST.accepts("4,,5"));
        assertTrue(OptionSpec.Type.STRING.accepts(""));
        assertEquals("0.001", OptionSpec.ofDouble("eps", 1e-3, "").defaultValue());
        assertEquals("0.0001", OptionSpec.ofDouble("eps", 1e-4, "").defaultValue());
        assertNull(OptionSpec.ofInt("expandDims", null, "").defaultValue());
        assertThrows(IllegalArgumentException.class, () -> new OptionSpec("k", OptionSpec.Type.INT, "x", ""));
    }

    @Test
    void aRegistryOfGivenProvidersChecksNamesAndDuplicates() {
        assertThrows(ProviderException.class, () -> ProviderRegistry.of(new GenericTail(), new GenericTail()));
        assertEquals(List.of(), REGISTRY.tail(GenericTail.NAME).options());
    }
}
