package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLedgerTest {
    @TempDir
    Path dir;

    private static ResultRow ok(String arch, long seed, String runId) {
        return new ResultRow().set(ResultColumn.ARCHITECTURE, arch).set(ResultColumn.SEED, seed)
                .set(ResultColumn.STATUS, ResultRow.OK).set(ResultColumn.TEST_ACCURACY, 0.5)
                .set(ResultColumn.RUN_ID, runId);
    }

    @Test
    void aStaleRowNeverSettlesThisRunsEntry() {
        RunLedger ledger = new RunLedger("run-2", List.of("a"), List.of(42L));
        RunLedger.Settled s = ledger.settle(List.of(ok("a", 42, "run-1")), "the training JVM could not start");
        assertEquals(1, s.stale());
        assertFalse(s.allOk());
        ResultRow row = s.rows().get(0);
        assertEquals(ResultRow.FAILED, row.get(ResultColumn.STATUS));
        assertEquals("the training JVM could not start", row.get(ResultColumn.MESSAGE));
        assertEquals("run-2", row.get(ResultColumn.RUN_ID));
    }

    @Test
    void everySelectedArchitectureAndSeedEndsWithOneRowInOrder() {
        RunLedger ledger = new RunLedger("r", List.of("a", "b"), List.of(42L, 43L));
        RunLedger.Settled s = ledger.settle(List.of(ok("b", 43, "r"), ok("a", 42, "r")), null);
        assertEquals(List.of("a/42/ok", "a/43/failed", "b/42/failed", "b/43/ok"), s.rows().stream()
                .map(r -> r.architecture() + "/" + r.get(ResultColumn.SEED) + "/" + r.get(ResultColumn.STATUS)).toList());
        assertEquals(2, s.missing().size());
        assertEquals("the run ended without a result for it", s.rows().get(1).get(ResultColumn.MESSAGE));
        // A failure row names the pair's own folder (one per seed here), so no report charts an earlier run's.
        assertEquals("a/seed-43", s.rows().get(1).get(ResultColumn.RUN_DIRECTORY));
        assertEquals("a", new RunLedger("r", List.of("a"), List.of(42L)).settle(List.of(), null).rows().get(0)
                .get(ResultColumn.RUN_DIRECTORY));
        // What it lets through: a complete fresh run passes.
        assertTrue(ledger.settle(List.of(ok("a", 42, "r"), ok("a", 43, "r"), ok("b", 42, "r"), ok("b", 43, "r")), null)
                .allOk());
    }

    @Test
    void aRunUnderWayShowsEveryUnfinishedPairAsAFailureAndSettlingNamesTheCause() throws Exception {
        RunLedger ledger = new RunLedger("r", List.of("a", "b"), List.of(42L));
        List<ResultRow> partial = ledger.inProgress(List.of(ok("a", 42, "r")));
        assertEquals(List.of("a/ok", "b/failed"), partial.stream()
                .map(r -> r.architecture() + "/" + r.get(ResultColumn.STATUS)).toList());
        assertEquals(RunLedger.UNFINISHED, partial.get(1).get(ResultColumn.MESSAGE));
        assertEquals("r", partial.get(1).get(ResultColumn.RUN_ID));
        // Killed here, the file on disk fails: it survives a round trip through results.csv unchanged.
        Path results = dir.resolve("results.csv");
        RunFiles.writeResults(results, partial);
        List<ResultRow> read = RunFiles.readResults(results);
        assertEquals(RunLedger.UNFINISHED, read.get(1).get(ResultColumn.MESSAGE));
        // Settled after the training JVM died, the placeholder gives way to the cause ...
        RunLedger.Settled s = ledger.settle(read, "the training JVM was killed by signal 9");
        assertEquals("the training JVM was killed by signal 9", s.rows().get(1).get(ResultColumn.MESSAGE));
        assertEquals(1, s.missing().size());
        assertTrue(s.rows().get(0).ok());
        // ... and a run that finished leaves no placeholder at all.
        assertTrue(ledger.settle(ledger.inProgress(List.of(ok("a", 42, "r"), ok("b", 42, "r"))), null).allOk());
    }

    @Test
    void runIdsAreUnique() {
        assertNotEquals(RunLedger.newRunId(), RunLedger.newRunId());
        assertTrue(RunLedger.newRunId().matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}"));
    }

    @Test
    void aSecondRunOnTheSameOutputDirectoryIsRefusedNamingTheHolder() throws Exception {
        try (OutputLock first = OutputLock.acquire(dir, "run-1")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> OutputLock.acquire(dir, "run-2"));
            assertTrue(e.getMessage().contains("another run is using " + dir + " (run run-1, pid "
                    + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains("-Dcnn.outputDirectory"), e.getMessage());
        }
        // Released: the next run gets it.
        try (OutputLock again = OutputLock.acquire(dir, "run-3")) {
            assertTrue(Files.readString(dir.resolve(OutputLock.FILE)).startsWith("run run-3"));
        }
    }

    @Test
    void aRefusedRunOfThisJvmLeavesTheHoldersLockInPlaceForOtherProcesses() throws Exception {
        try (OutputLock first = OutputLock.acquire(dir, "run-1")) {
            assertEquals("refused", otherProcessTries(dir));
            assertThrows(IllegalStateException.class, () -> OutputLock.acquire(dir, "run-2"));
            // Closing a channel of the lock file drops this process's lock on Linux: the refusal must not have.
            assertEquals("refused", otherProcessTries(dir));
            // The same directory by another name is the same directory.
            assertThrows(IllegalStateException.class, () -> OutputLock.acquire(dir.resolve("sub/.."), "run-4"));
            assertEquals("refused", otherProcessTries(dir));
        }
        assertEquals("acquired", otherProcessTries(dir));
    }

    private static String otherProcessTries(Path directory) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Files.createDirectories(directory.resolve("sub"));
        Process p = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                OutputLockProbe.class.getName(), directory.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
