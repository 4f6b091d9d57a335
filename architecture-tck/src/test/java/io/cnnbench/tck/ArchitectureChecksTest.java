package io.cnnbench.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.StageTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each check fails, and says what to fix, on a plugin that gets that thing wrong. */
class ArchitectureChecksTest {
    private final ClassLoader loader = getClass().getClassLoader();
    private final ProviderRegistry registry = ProviderRegistry.load(loader);

    @Test
    void aWrongDeclaredCountFailsWithBothNumbers() {
        ArchitectureSpec wrong = TinyProviders.recipe("tck-wrong-count").expectedTrainableParameters(1_000).build();
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureChecks.declaredParameters(registry, wrong));
        assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("1254"), e.getMessage());
    }

    @Test
    void anUndeclaredCountFailsAndSaysHowToDeclareIt() {
        ArchitectureSpec undeclared = TinyProviders.recipe("tck-undeclared").build();
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureChecks.declaredParameters(registry, undeclared));
        assertTrue(e.getMessage().contains("expectedTrainableParameters"), e.getMessage());
    }

    @Test
    void anUnregisteredNameFailsListingTheRegisteredOnes() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureChecks.discovery(loader, "tck-missing"));
        assertTrue(e.getMessage().contains("tck-tiny"), e.getMessage());
    }

    @Test
    void leavingARegisteredArchitectureUnnamedFails() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureChecks.namesCoverTheModule(loader, List.of()));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }

    @Test
    void aParameterThatNeverReceivesAGradientIsNamed() {
        ArchitectureSpec dead = TinyProviders.recipe("tck-dead-branch").head("tck-dead-branch-head").build();
        AssertionError e = assertThrows(AssertionError.class,
                () -> ArchitectureChecks.forwardAndBackward(registry, dead, 1));
        assertTrue(e.getMessage().contains("head/unused_conv/kernel"), e.getMessage());
    }

    @Test
    void anOptionNoProviderDeclaresFailsNamingIt() {
        ArchitectureSpec own = TinyProviders.recipe("tck-undeclared-option").options(Options.of("widht", "4")).build();
        AssertionError e = assertThrows(AssertionError.class, () -> ArchitectureChecks.declaredOptions(registry, own));
        assertTrue(e.getMessage().contains("'widht'") && e.getMessage().contains("Provider#options()"),
                e.getMessage());
        ArchitectureSpec row = TinyProviders.recipe("tck-undeclared-row-option").body(new StageTable(List.of(
                new StageTable.Stage(8, false, Options.of("kernel", "5"))))).build();
        AssertionError rowError = assertThrows(AssertionError.class,
                () -> ArchitectureChecks.declaredOptions(registry, row));
        assertTrue(rowError.getMessage().contains("'kernel'"), rowError.getMessage());
        ArchitectureChecks.declaredOptions(registry, TinyProviders.recipe("tck-no-options").build());
    }
}
