package io.cnnbench.arch.resnext;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cnnbench.api.spi.Options;
import org.junit.jupiter.api.Test;

/** The notebook's squeeze widths, computed with Python's float floor division. */
class ResNeXtWidthsTest {

    @Test
    void floorDivisionIsPythons() {
        // As python3 prints them: 40 // (1 / 0.3), 40 // (1 / 0.7), 100 // (1 / 0.3), 7.5 // 2.5, -7 // 2.0,
        // 7 // -2.0
        assertEquals(11.0, ResNeXtWidths.pythonFloorDivide(40, 1 / 0.3));
        assertEquals(27.0, ResNeXtWidths.pythonFloorDivide(40, 1 / 0.7));
        assertEquals(29.0, ResNeXtWidths.pythonFloorDivide(100, 1 / 0.3));
        assertEquals(3.0, ResNeXtWidths.pythonFloorDivide(7.5, 2.5));
        assertEquals(-4.0, ResNeXtWidths.pythonFloorDivide(-7, 2.0));
        assertEquals(-4.0, ResNeXtWidths.pythonFloorDivide(7, -2.0));
    }

    @Test
    void squeezeWidthsMatchTheNotebook() {
        Options defaults = Options.of("cardinality", "8", "squeezeRatio", "0.25");
        assertEquals(8, ResNeXtWidths.of(32, defaults).squeezeDims());
        assertEquals(4, ResNeXtWidths.of(64, defaults).squeezeDims());
        assertEquals(8, ResNeXtWidths.of(128, defaults).squeezeDims());
        // int(40 // (1 / 0.3)) is 11 in the notebook's Python; floor(40 / (1 / 0.3)) would give 12.
        assertEquals(11, ResNeXtWidths.of(40, Options.of("squeezeRatio", "0.3")).squeezeDims());
        assertEquals(29, ResNeXtWidths.of(100, Options.of("squeezeRatio", "0.3", "notebookSqueeze", "false"))
                .squeezeDims());
    }
}
