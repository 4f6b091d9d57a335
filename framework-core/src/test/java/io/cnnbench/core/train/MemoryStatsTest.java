package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemoryStatsTest {

    @Test
    void aPhaseReportsItsOwnPeak() throws InterruptedException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc/self/status (not Linux)");
        MemoryStats.releaseUnused();
        settle();
        // Earlier tests in this JVM may have peaked higher than the buffer will: measure from here.
        assumeTrue(MemoryStats.startPhase(),
                "this kernel does not let a process reset its peak (writing /proc/self/clear_refs)");
        double before = MemoryStats.rssMb();
        // Native memory, not the Java heap: a heap array may land on pages earlier tests already made resident,
        // and then the peak would not move. A block this large is mapped afresh by malloc and unmapped when freed.
        ByteBuffer big = ByteBuffer.allocateDirect(192 << 20);
        for (int i = 0; i < big.capacity(); i += 4096) {
            big.put(i, (byte) 1); // touch every page, so the process's peak includes them
        }
        double peakWithBuffer = MemoryStats.phasePeakRssMb();
        assertTrue(peakWithBuffer >= before + 150, "the 192 MiB buffer should raise the peak from " + before
                + " MiB; it is " + peakWithBuffer + " MiB");
        big = null;
        // The buffer's memory goes back when its cleaner runs, after a GC has found it unreachable.
        for (int i = 0; i < 50 && MemoryStats.rssMb() > peakWithBuffer - 150; i++) {
            System.gc();
            Thread.sleep(100);
        }
        System.out.println("peak with the buffer " + peakWithBuffer + " MiB; " + MemoryStats.releaseUnused());
        settle();
        MemoryStats.startPhase();
        double phasePeak = MemoryStats.phasePeakRssMb();
        // The buffer's pages went back before the phase started, so the phase peaks far lower.
        assertTrue(phasePeak < peakWithBuffer - 100,
                "phase peak " + phasePeak + " MiB should not include the 192 MiB released before the phase"
                        + " (peak with them " + peakWithBuffer + " MiB)");
    }

    /**
     * Waits until the resident set stops falling: G1 hands the heap a full GC shrank back concurrently, so right
     * after releaseUnused the resident set is still dropping, and a peak counted from then would be that moment's.
     */
    private static void settle() throws InterruptedException {
        double last = MemoryStats.rssMb();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(100);
            double now = MemoryStats.rssMb();
            if (Math.abs(now - last) < 1) {
                return;
            }
            last = now;
        }
    }

    @Test
    void releaseTrimsTheNativeHeapWhereTheJvmCan() {
        String message = MemoryStats.releaseUnused();
        System.out.println(message);
        // System.trim_native_heap exists from JDK 17.0.9 on (glibc only); this build's JDK is 17.0.15.
        assumeTrue(Runtime.version().compareTo(Runtime.Version.parse("17.0.9")) >= 0,
                "JDK " + Runtime.version() + " has no System.trim_native_heap");
        assertTrue(message.contains("native heap trimmed"), "JDK " + Runtime.version() + ": " + message);
    }
}
