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
 * An architecture's name is its results folder and its rows' key, so a run refuses two architectures of one name:
 * a composition named like a registered architecture or like another composition, or a selection naming one
 * twice. They would train into one folder, and results.csv and the gate would see one of them twice.
 */
class DuplicateNamesTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(new GenericTail(), new GenericHead(),
            new OptionValidationTest.GroupedBlock(), new OptionValidationTest.Cifar());

    private static Composition composition(String name) {
        return new Composition(name, GenericTail.NAME, "test-grouped-block", GenericHead.NAME, "1,1", 1, 8, 28,
                Options.empty());
    }

    private static List<String> select(BenchmarkConfig cfg) {
        return new BenchmarkRunner(REGISTRY, cfg).selectedArchitectures().stream().map(ArchitectureSpec::name)
                .toList();
    }

    @Test
    void aCompositionNamedLikeARegisteredArchitectureIsRefusedNamingBoth() {
        // Selected by that name, the composition used to replace the registered network without a word.
        for (List<String> selection : List.of(List.<String>of(), List.of("test-cifar"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select(
                    new BenchmarkConfig().architectures(selection).compose(composition("test-cifar"))));
            String m = e.getMessage();
            assertTrue(m.contains("composition test-cifar"), m);
            assertTrue(m.contains("registered architecture test-cifar")
                    && m.contains(OptionValidationTest.Cifar.class.getName()), m);
            assertTrue(m.contains("rename the composition"), m);
        }
    }

    @Test
    void twoCompositionsOfOneNameAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .compose(composition("twin")).compose(composition("twin"))));
        assertTrue(e.getMessage().contains("two <composition>s are named twin"), e.getMessage());
    }

    @Test
    void aSelectionNamingAnArchitectureTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select(new BenchmarkConfig()
                .architectures(List.of("test-cifar", "composed", "test-cifar")).compose(composition("composed"))));
        assertTrue(e.getMessage().contains("cnn.architectures names test-cifar twice"), e.getMessage());
        assertTrue(e.getMessage().contains("cnn.seeds"), e.getMessage());
    }

    @Test
    void distinctNamesPass() {
        BenchmarkConfig cfg = new BenchmarkConfig().compose(composition("composed"))
                .compose(composition("composed-2"));
        assertEquals(List.of("test-cifar", "composed", "composed-2"), select(cfg));
        assertEquals(List.of("composed-2", "test-cifar"), select(cfg.architectures(List.of("composed-2",
                "test-cifar"))));
    }
}
