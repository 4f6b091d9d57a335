package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemoryStatsTest {

    @Test
    void aPhaseReportsItsOwnPeak() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc/self/status (not Linux)");
        byte[] big = new byte[192 << 20];
        for (int i = 0; i < big.length; i += 4096) {
            big[i] = 1; // touch every page, so the process's peak includes them
        }
        double peakWithArray = MemoryStats.phasePeakRssMb();
        big = null;
        System.out.println("before release: peak " + peakWithArray + " MiB; " + MemoryStats.releaseUnused());
        boolean reset = MemoryStats.startPhase();
        assumeTrue(reset, "this kernel does not let a process reset its peak (writing /proc/self/clear_refs)");
        double phasePeak = MemoryStats.phasePeakRssMb();
        // The array's pages went back with the full GC, so a phase started after it peaks far lower.
        assertTrue(phasePeak < peakWithArray - 100,
                "phase peak " + phasePeak + " MiB should not include the 192 MiB released before the phase"
                        + " (peak with them " + peakWithArray + " MiB)");
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
