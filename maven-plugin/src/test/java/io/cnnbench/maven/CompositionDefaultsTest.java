package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** What a POM {@code <composition>} is when an element is left out: Maven sets only the fields it is given. */
class CompositionDefaultsTest {
    private static Composition composition(String blockRepeats, Integer downsamples) throws Exception {
        Composition c = new Composition();
        set(c, "name", "composed");
        set(c, "tail", "generic-tail");
        set(c, "block", "some-block");
        set(c, "head", "generic-head");
        if (blockRepeats != null) {
            set(c, "blockRepeats", blockRepeats);
        }
        if (downsamples != null) {
            set(c, "downsamples", downsamples);
        }
        return c;
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = Composition.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    @Test
    void downsamplesLeftOutIsTwoOrEveryLevelOfAShorterBody() throws Exception {
        assertEquals(2, composition(null, null).toCore().downsamples());
        assertEquals(2, composition("2,2,2", null).toCore().downsamples());
        // One level: the default is that level, not a 2 the user never wrote and the check would refuse.
        assertEquals(1, composition("3", null).toCore().downsamples());
        assertEquals(0, composition("3", 0).toCore().downsamples());
    }

    @Test
    void downsamplesWrittenBeyondTheLevelsIsStillRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> composition("3", 2).toCore().toSpec());
        assertEquals(true, e.getMessage().contains("<downsamples> must be between 0 and 1"), e.getMessage());
    }
}
