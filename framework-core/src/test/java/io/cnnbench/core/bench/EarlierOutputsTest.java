package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cnnbench.core.train.Trainer;
import io.cnnbench.reports.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pair's folder holds only this run's files: {@code BenchmarkRunner.removeEarlierOutputs}. */
class EarlierOutputsTest {
    @TempDir
    Path dir;

    private Path earlierRun() throws IOException {
        Path pair = dir.resolve("resnext-seed");
        Files.createDirectories(pair.resolve(Trainer.CHECKPOINTS));
        for (String file : List.of(RunFiles.CONFUSION, RunFiles.PER_CLASS, RunFiles.HISTORY, "resnext-seed.onnx",
                Trainer.CHECKPOINTS + "/" + Trainer.LAST_CHECKPOINT, Trainer.CHECKPOINTS + "/"
                        + Trainer.BEST_CHECKPOINT, "notes.txt", "other-arch.onnx")) {
            Files.writeString(pair.resolve(file), "from an earlier run");
        }
        return pair;
    }

    private static Set<String> files(Path pair) throws IOException {
        try (Stream<Path> all = Files.walk(pair)) {
            return new TreeSet<>(all.filter(Files::isRegularFile).map(p -> pair.relativize(p).toString()).toList());
        }
    }

    @Test
    void aRunThatStartsOverRemovesEverythingItWritesAgainBeforeTraining() throws IOException {
        Path pair = earlierRun();
        BenchmarkRunner.removeEarlierOutputs(pair, "resnext-seed", false);
        // What it lets stay: files this tool does not write for this architecture.
        assertEquals(Set.of("notes.txt", "other-arch.onnx"), files(pair));
    }

    @Test
    void aResumedRunKeepsItsCheckpointsAndHistoryButNotTheEarlierResults() throws IOException {
        Path pair = earlierRun();
        BenchmarkRunner.removeEarlierOutputs(pair, "resnext-seed", true);
        assertEquals(Set.of(RunFiles.HISTORY, "checkpoints/best.ckpt", "checkpoints/last.ckpt", "notes.txt",
                "other-arch.onnx"), files(pair));
    }

    @Test
    void aFirstRunFindsNothingToRemove() throws IOException {
        BenchmarkRunner.removeEarlierOutputs(dir.resolve("never-ran"), "resnext-seed", false);
        assertEquals(List.of(), Files.list(dir).toList());
    }
}
