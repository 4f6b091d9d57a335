package io.cnnbench.core.onnx;

import io.cnnbench.core.djl.CpuFlags;
import java.util.Arrays;
import java.util.Set;

/**
 * The channel block the inference-form export widens narrow grouped convolutions to ({@code cnn.onnxChannelBlock}).
 * ONNX Runtime's x86 convolution kernels (MLAS's NCHWc kernels, {@code MlasNchwcGetBlockSize}) work on blocks of 8
 * channels on AVX2 CPUs and 16 on AVX-512 ones, and a grouped convolution whose groups are not whole blocks falls back
 * to im2col and one small matrix product per group: {@code resnext-seed}'s file ran at 0.75x the PyTorch engine on an
 * AVX-512 CPU with groups widened to 8 channels, and at 1.9x with 16 (docs/performance.md). The file is for the CPU
 * it will run on; {@link #AUTO} takes the exporting CPU's, as most files are deployed on machines like the one that
 * built them, and a 16-channel file runs blocked on AVX2 CPUs too, at twice the widening's arithmetic.
 */
public enum OnnxChannelBlock {
    /** The exporting CPU's: 16 where it has AVX-512F (read from {@code /proc/cpuinfo}), else 8. */
    AUTO("auto", 0),
    /** AVX2's 8-channel blocks. */
    AVX2("8", 8),
    /** AVX-512's 16-channel blocks. */
    AVX512("16", 16);

    private final String settingValue;
    private final int channels;

    OnnxChannelBlock(String settingValue, int channels) {
        this.settingValue = settingValue;
        this.channels = channels;
    }

    /** This block, with {@link #AUTO} resolved to this CPU's ({@link #thisCpu}, which reads {@code /proc/cpuinfo}). */
    public OnnxChannelBlock resolved() {
        return this == AUTO ? thisCpu() : this;
    }

    /** Channels per block: this CPU's for {@link #AUTO}. */
    public int channels() {
        return resolved().channels;
    }

    /** The setting's spelling: {@code auto}, {@code 8} or {@code 16}. */
    public String settingValue() {
        return settingValue;
    }

    /** {@link #AVX512} where this CPU has AVX-512F, else {@link #AVX2} (also where {@code /proc/cpuinfo} is absent). */
    public static OnnxChannelBlock thisCpu() {
        return ofFlags(CpuFlags.thisCpu());
    }

    /** {@link #AVX512} where the {@code /proc/cpuinfo} text lists {@code avx512f} among a CPU's flags. */
    static OnnxChannelBlock fromCpuInfo(String cpuinfo) {
        return ofFlags(CpuFlags.parse(cpuinfo));
    }

    private static OnnxChannelBlock ofFlags(Set<String> flags) {
        return flags.contains("avx512f") ? AVX512 : AVX2;
    }

    /** The block spelt {@code value}. */
    public static OnnxChannelBlock parse(String value) {
        for (OnnxChannelBlock b : values()) {
            if (b.settingValue.equalsIgnoreCase(value.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("must be " + String.join(", ", Arrays.stream(values())
                .map(OnnxChannelBlock::settingValue).toList()) + " (channels per block of ONNX Runtime's x86"
                + " convolution kernels: 8 on AVX2 CPUs, 16 on AVX-512 ones)");
    }

    @Override
    public String toString() {
        return settingValue;
    }
}
