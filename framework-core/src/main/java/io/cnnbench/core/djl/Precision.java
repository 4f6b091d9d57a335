package io.cnnbench.core.djl;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arithmetic of training's convolutions ({@code cnn.precision}). Every tensor stays float32 either way: weights,
 * activations, gradients, optimizer state and batch-norm statistics. {@code bf16} sets oneDNN's default math mode to
 * bfloat16, so that oneDNN's float32 convolution kernels (forward and both backward passes) round their inputs to
 * bfloat16 inside the kernel and accumulate in float32.
 *
 * <p>Why this form and not bfloat16 tensors: DJL 0.36 cannot hold a bfloat16 tensor (its native side ends the
 * process on the cast), and casting around each convolution through TorchScript cost as much as the kernels saved,
 * and libtorch's own bfloat16 depthwise kernels gave wrong input gradients (docs/performance.md). oneDNN rounds
 * inside the kernel, with no extra pass over memory, and only on CPUs with AMX does it run different kernels
 * (measured: on AVX512_BF16 without AMX the same float32 kernels run either way), so bf16 needs {@code amx_bf16}.
 * libtorch reads the mode from the environment once, when oneDNN starts: the forked training JVM is started with it
 * ({@link #applyTo}), and the JVM checks on start that its environment says what its configuration does
 * ({@link #checkEnvironment}).
 */
public enum Precision {
    FLOAT32, BF16;

    /** oneDNN's environment variable for its default floating-point math mode. */
    public static final String ONEDNN_FPMATH_MODE = "ONEDNN_DEFAULT_FPMATH_MODE";
    /** NVIDIA's switch for TF32 in cuDNN and cuBLAS; {@code 0} keeps float32 float32. */
    public static final String TF32_OVERRIDE = "NVIDIA_TF32_OVERRIDE";

    /** The variable's value for bfloat16 arithmetic. */
    private static final String BF16_MODE = "BF16";

    /** The CPU flag (Linux's /proc/cpuinfo) of AMX's bfloat16 tile instructions. */
    static final String AMX_BF16 = "amx_bf16";

    /** {@code float32} or {@code bf16}. */
    public static Precision parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "float32" -> FLOAT32;
            case "bf16" -> BF16;
            default -> throw new IllegalArgumentException("must be float32 or bf16");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Why {@code bf16} cannot run on {@code device} with a CPU whose flags are {@code cpuFlags}, for the INFO line of
     * the fallback to float32; {@code null} when it can.
     *
     * @param device the resolved {@code cnn.device}: {@code cpu} or {@code gpu}
     */
    public static String bf16Unavailable(String device, Set<String> cpuFlags) {
        if (!"cpu".equals(device)) {
            return "cnn.precision=bf16 applies to oneDNN's CPU convolutions, and this run trains on the " + device
                    + "; training in float32";
        }
        if (cpuFlags.isEmpty()) {
            return "cnn.precision=bf16 needs a CPU with AMX (amx_bf16), and this CPU's flags cannot be read"
                    + " (/proc/cpuinfo); training in float32";
        }
        if (!cpuFlags.contains(AMX_BF16)) {
            return "cnn.precision=bf16 needs a CPU with AMX (amx_bf16): without it oneDNN runs the same float32"
                    + " kernels" + (cpuFlags.contains("avx512_bf16") ? " (AVX512_BF16 alone does not change them)"
                    : "") + "; training in float32";
        }
        return null;
    }

    /**
     * Sets the training JVM's environment for this precision: {@code bf16} sets oneDNN's math mode, {@code float32}
     * removes a mode inherited from the user's shell, which would otherwise make a float32 run's convolutions bf16;
     * both keep a GPU's convolutions out of TF32.
     */
    public void applyTo(Map<String, String> environment) {
        // On Ampere and later NVIDIA GPUs cuDNN runs float32 convolutions in TF32 unless told otherwise (libtorch's
        // allow_tf32 default), with 10 bits of mantissa: about 1e-3 of the largest logit, ten times the ONNX check's
        // float32 limit. The GPU trains in float32 whatever this setting is, so it is float32 there; a CPU ignores the
        // variable. Not measured here: no GPU has run this project's training (README, "GPU").
        environment.put(TF32_OVERRIDE, "0");
        if (this == BF16) {
            environment.put(ONEDNN_FPMATH_MODE, BF16_MODE);
        } else {
            environment.remove(ONEDNN_FPMATH_MODE);
        }
    }

    /** What this process's convolutions compute in: bf16 where oneDNN's math mode says so, float32 otherwise. */
    public static Precision ofThisProcess() {
        return isBf16Mode(System.getenv(ONEDNN_FPMATH_MODE)) ? BF16 : FLOAT32;
    }

    private static boolean isBf16Mode(String mode) {
        return mode != null && mode.trim().equalsIgnoreCase(BF16_MODE);
    }

    /**
     * Checks, in the JVM that trains, that oneDNN will compute as this precision says: the variable is read from
     * the environment the process started with, which Java cannot change. Throws with what to do when it will not.
     */
    public void checkEnvironment(Map<String, String> environment) {
        String mode = environment.get(ONEDNN_FPMATH_MODE);
        if (this == BF16 && !isBf16Mode(mode)) {
            throw new IllegalStateException("cnn.precision=bf16, but this JVM was started without "
                    + ONEDNN_FPMATH_MODE + "=" + BF16_MODE + ", which oneDNN reads once at start: run it through cnn:benchmark"
                    + " with the forked training JVM (cnn.fork=true), or set the variable before starting it");
        }
        if (this == FLOAT32 && mode != null && !mode.trim().isEmpty() && !mode.trim().equalsIgnoreCase("STRICT")) {
            throw new IllegalStateException(ONEDNN_FPMATH_MODE + "=" + mode + " is set in the environment, which"
                    + " makes oneDNN's float32 convolutions compute in lower precision, but cnn.precision is"
                    + " float32: unset the variable, or train with -Dcnn.precision=bf16 so that the results say so");
        }
    }
}
