package io.cnnbench.core.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuFlagsTest {
    @Test
    void theFlagsAreTheFirstProcessorsFlagsLine() {
        Set<String> flags = CpuFlags.parse(PrecisionTest.SAPPHIRE_RAPIDS);
        assertTrue(flags.contains("amx_bf16") && flags.contains("avx512_fp16") && !flags.contains("spectre_v1"),
                flags.toString());
        assertEquals(Set.of(), CpuFlags.parse("processor\t: 0\nmodel name\t: no flags here\n"));
    }

    @Test
    void aFlagListedTwiceIsReadOnce() {
        assertEquals(Set.of("avx512f", "amx_bf16"), CpuFlags.parse("flags\t\t: avx512f amx_bf16 avx512f\n"));
    }
}
