package io.cnnbench.core.train;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/** Resident memory of this process from /proc (Linux; NaN elsewhere), and the JVM's own share of it. */
public final class MemoryStats {
    private MemoryStats() {
    }

    /** Current resident set size in MiB. */
    public static double rssMb() {
        return field("VmRSS:");
    }

    /**
     * Starts a new phase: {@link #phasePeakRssMb()} then reports the peak since now. Linux resets the process's
     * peak counter (VmHWM) on writing 5 to /proc/self/clear_refs; where that is not allowed, the phase peak stays
     * the peak since the process started (an upper bound) and this returns false.
     */
    public static boolean startPhase() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Peak resident set size since the last {@link #startPhase()} (or the process's start), in MiB. */
    public static double phasePeakRssMb() {
        return field("VmHWM:");
    }

    /**
     * Hands memory nobody uses back to the system between phases, so that one phase's free memory does not
     * inflate the next one's resident set: a full GC, after which the collector shrinks the committed heap to
     * its free-ratio bounds (the whole CIFAR archive passes through the heap while loading, and the heap it grew
     * to would otherwise stay committed), then glibc's {@code malloc_trim}, through the JVM's own
     * {@code System.trim_native_heap} command (JDK 17.0.9 and later), which returns the pages of freed native
     * blocks: the forked JVM's allocator settings keep every freed block for reuse, which is what makes training
     * steps fast, and without this the next phase would start on top of everything the last one freed. Under
     * jemalloc ({@link NativeAllocator}) there is nothing of glibc's to trim: it keeps its pages and the next phase
     * reuses them.
     *
     * @return what it did, for the log: RSS before and after, in MiB, and whether the native trim ran
     */
    public static String releaseUnused() {
        double before = rssMb();
        System.gc();
        String trim = !NativeAllocator.current().trimmable() ? "jemalloc keeps its free pages for the next phase"
                : trimNativeHeap() ? "native heap trimmed"
                : "native heap not trimmed: this JVM has no System.trim_native_heap (JDK 17.0.9 and later have it)";
        return String.format(java.util.Locale.ROOT, "RSS %d -> %d MiB (%s; the JVM holds %d MiB)",
                Math.round(before), Math.round(rssMb()), trim, Math.round(jvmCommittedMb()));
    }

    /**
     * glibc's {@code malloc_trim(0)} through the JVM's {@code System.trim_native_heap} command: returns the pages of
     * free blocks in the middle of the native heap, which the forked JVM's allocator settings otherwise keep.
     *
     * @return false where this JVM lacks the command (before JDK 17.0.9) or it failed
     */
    public static boolean trimNativeHeap() {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {null}, new String[] {String[].class.getName()});
            return true;
        } catch (JMException | RuntimeException e) {
            return false;
        }
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
