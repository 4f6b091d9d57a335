package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.common.GenericHead;
import io.cnnbench.api.common.GenericTail;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every POM composition is checked before anything runs, also one the run does not select: an incomplete one
 * fails naming the composition and the missing element, instead of a NullPointerException while the selection
 * is resolved or the forked JVM's configuration is written.
 */
class CompositionCheckTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(new GenericTail(), new GenericHead(),
            new OptionValidationTest.GroupedBlock(), new OptionValidationTest.Cifar());

    private static Composition composition(String name, String tail, String block, String head) {
        return new Composition(name, tail, block, head, "1,1", 1, 8, 28, Options.empty());
    }

    private static List<ArchitectureSpec> select(BenchmarkConfig cfg) {
        return new BenchmarkRunner(REGISTRY, cfg).selectedArchitectures();
    }

    @Test
    void anUnselectedCompositionWithoutAHeadFailsNamingItAndTheHead() {
        BenchmarkConfig cfg = new BenchmarkConfig().architectures(List.of("test-cifar"))
                .compose(composition("half-done", GenericTail.NAME, "test-grouped-block", null));
        for (IllegalArgumentException e : List.of(assertThrows(IllegalArgumentException.class, cfg::validate),
                assertThrows(IllegalArgumentException.class, () -> select(cfg)))) {
            assertTrue(e.getMessage().contains("composition half-done has no <head>"), e.getMessage());
        }
    }

    @Test
    void aCompositionWithoutANameFailsNamingItsPartsAndTheName() {
        BenchmarkConfig cfg = new BenchmarkConfig().architectures(List.of("test-cifar"))
                .compose(composition(null, GenericTail.NAME, "test-grouped-block", GenericHead.NAME));
        for (IllegalArgumentException e : List.of(assertThrows(IllegalArgumentException.class, cfg::validate),
                assertThrows(IllegalArgumentException.class, () -> select(cfg)))) {
            assertTrue(e.getMessage().contains("has no <name>"), e.getMessage());
            assertTrue(e.getMessage().contains("test-grouped-block"), e.getMessage());
        }
    }

    @Test
    void everyMissingPartIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> composition("bare", null, " ", null).toSpec());
        assertTrue(e.getMessage().contains("composition bare has no <tail>, <block>, <head>"), e.getMessage());
    }

    private static Composition withBody(String blockRepeats, int downsamples) {
        return new Composition("bodied", GenericTail.NAME, "test-grouped-block", GenericHead.NAME, blockRepeats,
                downsamples, 8, 28, Options.empty());
    }

    /** Downsamples beyond the levels used to be cut to the level count without a word. */
    @Test
    void downsamplesBeyondTheLevelsOrNegativeRepeatsAreRefusedNamingTheElementAndTheRange() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> withBody("1,1", 3).toSpec());
        assertTrue(tooMany.getMessage().contains("composition bodied: <downsamples> must be between 0 and 2"),
                tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("got 3"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> withBody("1,1", -1).toSpec());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> withBody("-2,2,2", 2).toSpec());
        assertTrue(negative.getMessage().contains("composition bodied: <blockRepeats>"), negative.getMessage());
        assertTrue(negative.getMessage().contains("0 or more") && negative.getMessage().contains("-2,2,2"),
                negative.getMessage());
        // The bounds themselves pass: as many downsamples as levels, none, and a level of no repeated blocks.
        assertEquals(2, ((io.cnnbench.api.spi.VggBody) withBody("1,1", 2).toSpec().body()).numDownsamples());
        assertEquals(0, ((io.cnnbench.api.spi.VggBody) withBody("0,1", 0).toSpec().body()).numDownsamples());
    }

    @Test
    void aCompleteUnselectedCompositionPassesAndReachesTheForkedJvm() {
        BenchmarkConfig cfg = new BenchmarkConfig().architectures(List.of("test-cifar"))
                .compose(composition("complete", GenericTail.NAME, "test-grouped-block", GenericHead.NAME));
        assertEquals(List.of("test-cifar"), select(cfg.validate()).stream().map(ArchitectureSpec::name).toList());
        assertEquals("complete", BenchmarkConfig.fromProperties(cfg.toProperties()).compositions().get(0).name());
    }
}
