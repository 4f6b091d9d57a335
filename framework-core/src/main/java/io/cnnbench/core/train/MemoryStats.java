package io.cnnbench.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux); NaN elsewhere. */
public final class MemoryStats {
    private MemoryStats() {
    }

    /** Current resident set size in MiB. */
    public static double rssMb() {
        return field("VmRSS:");
    }

    /** Peak resident set size of the process so far, in MiB. */
    public static double peakRssMb() {
        return field("VmHWM:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String kb = line.substring(name.length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
