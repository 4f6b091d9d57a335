package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
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
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            new Trainer(net, cfg, ckDir, new TrainingListener() {
                @Override
                public void onEpochEnd(EpochRecord e, List<EpochRecord> history) {
                    throw new TrainerTest.StopHere();
                }
            }, "dataset=cifar10,trainLimit=5000").fit(TrainerTest.TRAIN, TrainerTest.VAL, false);
        } catch (TrainerTest.StopHere expected) {
            // killed after epoch 1, with its checkpoint written
        }
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
