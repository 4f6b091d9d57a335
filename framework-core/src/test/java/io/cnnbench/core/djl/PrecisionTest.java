package io.cnnbench.core.djl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrecisionTest {
    /** Two processors as Linux lists them. */
    static final String SAPPHIRE_RAPIDS = """
            processor\t: 0
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8 avx512_fp16
            bugs\t\t: spectre_v1

            processor\t: 1
            flags\t\t: fpu avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8 avx512_fp16
            """;
    private static final String ZEN_4 = "processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 avx512_vnni\n";

    @Test
    void theSettingTakesTwoNamesAndRefusesOthersSayingWhich() {
        assertEquals(Precision.FLOAT32, new BenchmarkConfig().get(Settings.PRECISION), "float32 unless asked");
        assertEquals(Precision.BF16, new BenchmarkConfig().set(Settings.PRECISION, "BF16").get(Settings.PRECISION));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BenchmarkConfig().set(Settings.PRECISION, "fp16"));
        assertEquals("cnn.precision=fp16: must be float32 or bf16", e.getMessage());
    }

    @Test
    void bf16RunsOnlyOnAnAmxCpuAndSaysWhyNotElsewhere() {
        assertNull(Precision.bf16Unavailable("cpu", CpuFlags.parse(SAPPHIRE_RAPIDS)));
        String zen4 = Precision.bf16Unavailable("cpu", CpuFlags.parse(ZEN_4));
        assertTrue(zen4.contains("amx_bf16") && zen4.contains("AVX512_BF16 alone") && zen4.endsWith("float32"), zen4);
        String gpu = Precision.bf16Unavailable("gpu", CpuFlags.parse(SAPPHIRE_RAPIDS));
        assertTrue(gpu.contains("trains on the gpu") && gpu.endsWith("float32"), gpu);
        String unreadable = Precision.bf16Unavailable("cpu", Set.of());
        assertTrue(unreadable.contains("cannot be read"), unreadable);
    }

    @Test
    void theTrainingJvmsEnvironmentSaysWhatTheConfigurationDoes() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin", Precision.TF32_OVERRIDE, "1"));
        Precision.BF16.applyTo(env);
        assertEquals("BF16", env.get(Precision.ONEDNN_FPMATH_MODE));
        assertDoesNotThrow(() -> Precision.BF16.checkEnvironment(env));
        // A mode inherited from the user's shell must not turn a float32 run into a bf16 one, nor a GPU's into TF32.
        Precision.FLOAT32.applyTo(env);
        assertEquals(Map.of("PATH", "/usr/bin", Precision.TF32_OVERRIDE, "0"), env);
        assertDoesNotThrow(() -> Precision.FLOAT32.checkEnvironment(env));
    }

    @Test
    void aJvmStartedWithTheWrongModeRefusesToTrain() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Precision.BF16.checkEnvironment(Map.of()));
        assertTrue(missing.getMessage().contains("ONEDNN_DEFAULT_FPMATH_MODE=BF16"), missing.getMessage());
        IllegalStateException stray = assertThrows(IllegalStateException.class,
                () -> Precision.FLOAT32.checkEnvironment(Map.of(Precision.ONEDNN_FPMATH_MODE, "any")));
        assertTrue(stray.getMessage().contains("unset the variable"), stray.getMessage());
        // oneDNN's strict mode is float32 arithmetic, what float32 means.
        assertDoesNotThrow(() -> Precision.FLOAT32.checkEnvironment(Map.of(Precision.ONEDNN_FPMATH_MODE, "strict")));
    }
}
