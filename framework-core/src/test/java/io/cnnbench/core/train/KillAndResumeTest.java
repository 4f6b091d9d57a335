package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.reports.EpochRecord;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM killed (SIGKILL) during epoch 2, then resumed: the final metrics equal an uninterrupted run's. */
class KillAndResumeTest {
    @TempDir
    Path tmp;

    @Test
    void killedDuringEpochTwoThenResumedMatchesUninterrupted() throws Exception {
        Path killed = tmp.resolve("killed");
        Path history = killed.resolve(RunFiles.HISTORY);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                KilledTrainingMain.class.getName(), killed.toString(), "false")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!(Files.exists(history) && RunFiles.readHistory(history).size() == 1)) {
                assertTrue(child.isAlive(), "child died early: " + Files.readString(tmp.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "epoch 1 never finished");
                Thread.sleep(20);
            }
            Thread.sleep(150); // well inside epoch 2
        } finally {
            child.destroyForcibly().waitFor();
        }
        Checkpoint last = Checkpoint.read(killed.resolve("checkpoints").resolve(Trainer.LAST_CHECKPOINT));
        assertEquals(1, last.epochsDone(), "the kill landed during epoch 2");

        List<EpochRecord> resumed = KilledTrainingMain.run(killed, true);
        List<EpochRecord> uninterrupted = KilledTrainingMain.run(tmp.resolve("clean"), false);
        assertEquals(3, resumed.size());
        assertEquals(TrainerTest.metrics(uninterrupted), TrainerTest.metrics(resumed));
        assertEquals(RunFiles.readHistory(history).size(), 3, "history.csv continues after the resume");
    }
}
