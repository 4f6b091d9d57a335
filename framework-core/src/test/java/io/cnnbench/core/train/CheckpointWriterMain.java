package io.cnnbench.core.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Child JVM for {@link KillDuringCheckpointWriteTest}: writes large checkpoints to one file in a loop until killed. */
public final class CheckpointWriterMain {
    private CheckpointWriterMain() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        for (int epoch = 1; ; epoch++) {
            Map<String, float[]> params = new LinkedHashMap<>();
            float[] big = new float[4_000_000]; // 16 MB: a write takes long enough to be killed in the middle
            java.util.Arrays.fill(big, epoch);
            params.put("w", big);
            new Checkpoint("big", "fp", epoch, 1.0, 0, epoch, List.of(), params, Map.of()).write(file);
            System.out.println("wrote " + epoch);
            System.out.flush();
        }
    }
}
