package io.cnnbench.core.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU's instruction-set flags as Linux lists them in {@code /proc/cpuinfo} ({@code avx512f}, {@code amx_bf16}…):
 * which kernels libtorch's oneDNN and ONNX Runtime can run here, read in one place.
 */
public final class CpuFlags {
    private CpuFlags() {
    }

    /** The flags of the first processor in {@code cpuinfo} (Linux's /proc/cpuinfo text); empty when it has none. */
    public static Set<String> parse(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                // Not Set.of, which throws on a repeated element: a flag listed twice is still the one flag.
                return new TreeSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
            }
        }
        return Set.of();
    }

    /** This machine's CPU flags, or an empty set where /proc/cpuinfo cannot be read (not Linux). */
    public static Set<String> thisCpu() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}
