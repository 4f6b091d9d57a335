package io.cnnbench.core.train;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux; NaN elsewhere), and the JVM's own share of it. */
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

    /**
     * What the JVM itself holds, in MiB: its committed heap and non-heap memory (metaspace, code cache) and the
     * direct and mapped buffers in use (the data pipeline's batches). The rest of the resident set is native code
     * outside the JVM's accounting: libtorch, ONNX Runtime and what the allocator keeps for them (plus the JVM's
     * thread stacks and GC structures, a few tens of MiB). Committed heap is an upper bound of what is resident.
     */
    public static double jvmCommittedMb() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long bytes = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            bytes += Math.max(0, pool.getMemoryUsed());
        }
        return bytes / (1024.0 * 1024.0);
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
