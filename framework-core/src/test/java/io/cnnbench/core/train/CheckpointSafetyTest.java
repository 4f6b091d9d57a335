package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.core.djl.Network;
import io.cnnbench.reports.EpochRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged checkpoints and resuming on other data are refused with a message, never an Error or a silent mix. */
class CheckpointSafetyTest {
    @TempDir
    Path dir;

    private Path write() {
        Map<String, float[]> params = new LinkedHashMap<>();
        params.put("conv.weight", new float[] {1, 2, 3, 4});
        params.put("bn.gamma", new float[] {0.5f});
        Checkpoint ck = new Checkpoint("tiny", "epochs=2", 1, 0.7, 0, 10,
                List.of(new EpochRecord(1, 1e-3, 2.0, 0.3, 1.9, 0.35, 1.5, 200)), params, Map.of("m", new float[2]));
        Path file = dir.resolve("last.ckpt");
        ck.write(file);
        return file;
    }

    @Test
    void aCheckpointReadsBackExactly() {
        Checkpoint back = Checkpoint.read(write());
        assertArrayEquals(new float[] {1, 2, 3, 4}, back.parameters().get("conv.weight"));
        assertEquals(10, back.optimizerStep());
        assertEquals(1, back.history().size());
    }

    @Test
    void aCorruptLengthFieldIsRefusedWithoutAllocatingIt() throws IOException {
        Path file = write();
        byte[] bytes = Files.readAllBytes(file);
        // The length of the first parameter array follows its name; make it 2^31 - 1.
        int at = indexOf(bytes, "conv.weight".getBytes()) + "conv.weight".length();
        ByteBuffer.wrap(bytes).putInt(at, Integer.MAX_VALUE);
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("is damaged: it claims 2147483647 floats in conv.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("rerun without -Dcnn.resume=true"), e.getMessage());
    }

    @Test
    void aFlippedBitInTheValuesIsCaughtByTheChecksum() throws IOException {
        Path file = write();
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, "conv.weight".getBytes()) + "conv.weight".length() + 4 + 2;
        bytes[at] ^= 0x10;
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("CRC-32 mismatch"), e.getMessage());
    }

    @Test
    void aTruncatedCheckpointIsRefused() throws IOException {
        Path file = write();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 11));
        assertThrows(IllegalStateException.class, () -> Checkpoint.read(file));
    }

    @Test
    void resumingOnOtherDataIsRefusedNamingBothSettings() {
        TrainingConfig cfg = TrainerTest.config(2);
        Path ckDir = dir.resolve("checkpoints");
        killedAfterTheFirstEpoch(cfg, ckDir, "dataset=cifar10,trainLimit=5000");
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Trainer(net, cfg, ckDir,
                    null, "dataset=/other/archive.tar.gz,trainLimit=5000").fit(TrainerTest.TRAIN, TrainerTest.VAL,
                    true));
            assertTrue(e.getMessage().contains("dataset=cifar10") && e.getMessage().contains("dataset=/other/archive"),
                    e.getMessage());
        }
        // What it lets through: the same data resumes.
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            Trainer.Outcome o = new Trainer(net, cfg, ckDir, null, "dataset=cifar10,trainLimit=5000")
                    .fit(TrainerTest.TRAIN, TrainerTest.VAL, true);
            assertEquals(2, o.history().size());
        }
    }

    @Test
    void aNetworkChangedWithoutChangingItsParametersIsNotResumed() {
        TrainingConfig cfg = TrainerTest.config(2);
        Path ckDir = dir.resolve("checkpoints");
        killedAfterTheFirstEpoch(cfg, ckDir, "");
        // The same name, parameter names and sizes; only the first activation differs (as a code change would).
        Graph changed = new Graph("tiny", Dims.of(3, 28, 28));
        Tensor x = changed.hardSwish(changed.batchNorm(changed.conv2d(changed.input(), ConvSpec.of(8, 3).stride(2))));
        x = changed.relu(changed.batchNorm(changed.conv2d(x, ConvSpec.of(16, 3).stride(2))));
        x = changed.dropout(changed.globalAvgPool(x, false), 0.1);
        changed.setOutput(changed.dense(x, 10, true));
        assertEquals(SyntheticImages.tinyNetwork().trainableParameters(), changed.trainableParameters());
        try (Network net = Network.create(changed, cfg.seed(), Device.cpu())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new Trainer(net, cfg, ckDir, null).fit(TrainerTest.TRAIN, TrainerTest.VAL, true));
            assertTrue(e.getMessage().contains("graph=" + Trainer.structureDigest(SyntheticImages.tinyNetwork()))
                    && e.getMessage().contains("graph=" + Trainer.structureDigest(changed)), e.getMessage());
        }
        // What it lets through: the unchanged network, rebuilt, has the same digest and resumes.
        assertEquals(Trainer.structureDigest(SyntheticImages.tinyNetwork()),
                Trainer.structureDigest(SyntheticImages.tinyNetwork()));
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            assertEquals(2, new Trainer(net, cfg, ckDir, null).fit(TrainerTest.TRAIN, TrainerTest.VAL, true)
                    .history().size());
        }
    }

    @Test
    void startingOverRemovesTheEarlierRunsCheckpointsBeforeTheFirstEpochEnds() {
        TrainingConfig cfg = TrainerTest.config(1);
        Path ckDir = dir.resolve("checkpoints");
        TrainerTest.train(cfg, ckDir, false);
        assertTrue(Files.exists(ckDir.resolve(Trainer.LAST_CHECKPOINT)));
        assertTrue(Files.exists(ckDir.resolve(Trainer.BEST_CHECKPOINT)));
        // A fresh run that dies in its first epoch (here: a non-finite loss stops it before any checkpoint) ...
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            float[] nan = new float[10 * 16];
            java.util.Arrays.fill(nan, Float.NaN);
            net.setParameter("dense/kernel", nan);
            assertTrue(new Trainer(net, cfg, ckDir, null).fit(TrainerTest.TRAIN, TrainerTest.VAL, false).failure()
                    != null);
        }
        // ... leaves nothing that a rerun with cnn.resume=true would take for its own progress.
        assertTrue(!Files.exists(ckDir.resolve(Trainer.LAST_CHECKPOINT)));
        assertTrue(!Files.exists(ckDir.resolve(Trainer.BEST_CHECKPOINT)));
        List<List<EpochRecord>> restored = new java.util.ArrayList<>();
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            Trainer.Outcome o = new Trainer(net, cfg, ckDir, new TrainingListener() {
                @Override
                public void onResume(List<EpochRecord> history) {
                    restored.add(history);
                }
            }).fit(TrainerTest.TRAIN, TrainerTest.VAL, true);
            assertEquals(1, o.history().size(), "trained its one epoch itself");
            assertNotNull(o.lastValidation(), "and evaluated the network it trained");
        }
        assertEquals(List.of(), restored, "nothing to resume from");
    }

    @Test
    void aResumedRunHandsItsRestoredHistoryToTheListener() {
        TrainingConfig cfg = TrainerTest.config(1);
        Path ckDir = dir.resolve("checkpoints");
        List<EpochRecord> full = TrainerTest.train(cfg, ckDir, false).history();
        // Killed after last.ckpt was written but before history.csv: the resumed run, with no epoch left, must
        // still let history.csv catch up.
        List<List<EpochRecord>> restored = new java.util.ArrayList<>();
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            new Trainer(net, cfg, ckDir, new TrainingListener() {
                @Override
                public void onResume(List<EpochRecord> history) {
                    restored.add(history);
                }
            }).fit(TrainerTest.TRAIN, TrainerTest.VAL, true);
        }
        assertEquals(1, restored.size());
        assertEquals(TrainerTest.metrics(full), TrainerTest.metrics(restored.get(0)));
    }

    /** Trains the tiny network and stops it after epoch 1, with that epoch's checkpoint written. */
    private static void killedAfterTheFirstEpoch(TrainingConfig cfg, Path ckDir, String resumeContext) {
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            new Trainer(net, cfg, ckDir, new TrainingListener() {
                @Override
                public void onEpochEnd(EpochRecord e, List<EpochRecord> history) {
                    throw new TrainerTest.StopHere();
                }
            }, resumeContext).fit(TrainerTest.TRAIN, TrainerTest.VAL, false);
        } catch (TrainerTest.StopHere expected) {
            // killed after epoch 1, with its checkpoint written
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
