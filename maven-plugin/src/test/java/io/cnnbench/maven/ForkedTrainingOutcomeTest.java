package io.cnnbench.maven;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.core.bench.BenchmarkMain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the plugin reads the training JVM's exit status: {@code ForkedTraining.Outcome#cause}. */
class ForkedTrainingOutcomeTest {
    /** Fills the heap until the JVM gives up. */
    public static final class FillsTheHeap {
        public static void main(String[] args) {
            List<long[]> kept = new ArrayList<>();
            while (true) {
                kept.add(new long[1 << 20]);
            }
        }
    }

    @Test
    void aJvmStoppedByExitOnOutOfMemoryErrorIsReportedAsOutOfHeapNotAsARunWithResults() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), FillsTheHeap.class.getName()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        // The status the JVM itself chose must not be one the training JVM uses for "ran, some pairs failed".
        assertNotEquals(BenchmarkMain.SOME_FAILED, status, output);
        assertNotEquals(BenchmarkMain.ALL_PASSED, status, output);
        String cause = new ForkedTraining.Outcome(status, true, false, null, List.of(output.trim())).cause();
        assertTrue(cause != null && cause.contains("ran out of Java heap") && cause.contains("-Xmx"), cause);
    }

    @Test
    void aRunThatFinishedWithSomeFailedPairsHasNoCauseOfItsOwn() {
        // What it lets through: results.csv speaks for these.
        assertNull(new ForkedTraining.Outcome(BenchmarkMain.SOME_FAILED, true, false, null, List.of()).cause());
        assertNull(new ForkedTraining.Outcome(BenchmarkMain.ALL_PASSED, true, false, null, List.of()).cause());
    }
}
