package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {
    private static final List<String> FOUR = List.of("0", "1", "2", "3");

    @Test
    void aCountTakesTheFirstGpusIdsNameThemAndAllTakesEvery() {
        assertEquals(List.of("0", "1"), DeviceSelection.parse("2").pick(FOUR));
        assertEquals(List.of("2", "0"), DeviceSelection.parse("2, 0").pick(FOUR), "in the order given");
        assertEquals(List.of("1"), DeviceSelection.parse("1,").pick(FOUR), "one id needs the comma");
        assertEquals(FOUR, DeviceSelection.parse("ALL").pick(FOUR));
        assertEquals(List.of("GPU-8f6c2a10-aaaa"), DeviceSelection.parse("gpu-8f6c2a10-aaaa,")
                .pick(List.of("GPU-8f6c2a10-aaaa")), "UUIDs as CUDA_VISIBLE_DEVICES writes them");
    }

    @Test
    void oneUnnamedDeviceIsTheDefault() {
        assertEquals(DeviceSelection.ONE, new BenchmarkConfig().get(Settings.DEVICES));
        assertTrue(DeviceSelection.ONE.oneUnnamed());
        assertTrue(DeviceSelection.parse("1").oneUnnamed());
        assertFalse(DeviceSelection.parse("3,").oneUnnamed(), "one named GPU must be checked and handed to its JVM");
        assertFalse(DeviceSelection.parse("2").oneUnnamed());
        assertFalse(DeviceSelection.parse("all").oneUnnamed(), "all may be one GPU, but it is decided on the machine");
        for (String text : new String[] {"1", "2", "0,2", "3,", "all"}) {
            assertEquals(DeviceSelection.parse(text), DeviceSelection.parse(DeviceSelection.parse(text).toString()),
                    "written back as it reads: " + text);
        }
    }

    @Test
    void moreGpusThanTheMachineShowsAreRefusedNamingWhatIsThere() {
        assertEquals("cnn.devices=4, but this machine shows 2 GPUs (visible: 0, 1)", assertThrows(
                IllegalArgumentException.class, () -> DeviceSelection.parse("4").pick(List.of("0", "1")))
                .getMessage());
        assertEquals("cnn.devices names GPU 5, which this machine does not show (visible: 0, 1, 2, 3)",
                assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse("0,5").pick(FOUR))
                        .getMessage());
        assertEquals("cnn.devices=all, but this machine shows no GPU", assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.parse("all").pick(List.of())).getMessage());
    }

    @Test
    void nonsenseIsRefusedSayingWhatIsAccepted() {
        for (String bad : new String[] {"0", "-1", "two", ",", "1,1", "0,x", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BenchmarkConfig().set(Settings.DEVICES, bad), bad);
            assertTrue(e.getMessage().startsWith("cnn.devices=" + bad + ": "), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse("two")).getMessage()
                .contains("a count (2), GPU ids with a comma (0,2 or 1,) or all"));
    }
}
