package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.spi.Options;
import org.junit.jupiter.api.Test;

class CompositionNameTest {
    private static Composition named(String name) {
        return new Composition(name, "generic-tail", "resnext-block", "generic-head", "1,1", 1, 16, 28,
                Options.empty());
    }

    @Test
    void aCompositionNameThatCouldLeaveTheOutputDirectoryIsRefused() {
        for (String bad : new String[] {"../../escaped", "/abs", "Upper"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> named(bad).toSpec());
            assertTrue(e.getMessage().contains("<composition>"), e.getMessage());
        }
        assertEquals("composed-small", named("composed-small").toSpec().name());
    }
}
