package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JVM killed (SIGKILL) while it writes a checkpoint, at several moments: the checkpoint file is always a
 * whole earlier one (the write goes to a temporary file that is synced and renamed), never a torn one.
 */
class KillDuringCheckpointWriteTest {
    @TempDir
    Path tmp;

    @Test
    void aKillDuringTheWriteLeavesTheLastWholeCheckpoint() throws Exception {
        Path file = tmp.resolve("last.ckpt");
        for (int trial = 0; trial < 3; trial++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), CheckpointWriterMain.class.getName(),
                    file.toString()).redirectErrorStream(true).start();
            int written = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && written < 2) {
                    if (line.startsWith("wrote ")) {
                        written = Integer.parseInt(line.substring(6));
                    }
                }
                // The next write is under way: kill it somewhere inside.
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 40));
                child.destroyForcibly().waitFor();
            }
            assertTrue(written >= 2, "the child never wrote two checkpoints");
            Checkpoint survived = Checkpoint.read(file); // throws if torn or damaged
            assertTrue(survived.epochsDone() >= 2, "epochs done " + survived.epochsDone());
            assertEquals((float) survived.epochsDone(), survived.parameters().get("w")[3_999_999]);
        }
    }
}
