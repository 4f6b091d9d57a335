package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.ImageSet;
import io.cnnbench.core.djl.Network;
import io.cnnbench.reports.EpochRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static final ImageSet TRAIN = SyntheticImages.make(320, 1);
    static final ImageSet VAL = SyntheticImages.make(100, 2);

    static TrainingConfig config(int epochs) {
        return new TrainingConfig(epochs, 32, 3e-3, "adam", 0.9, false, 0, 7, 0, Augmentation.NOTEBOOK);
    }

    @TempDir
    Path tmp;

    @Test
    void historyHasEveryColumnEveryEpochAndTheModelLearns() {
        Trainer.Outcome o = train(config(8), tmp.resolve("a"), false);
        assertNull(o.failure());
        assertEquals(8, o.history().size());
        for (EpochRecord e : o.history()) {
            for (double v : new double[] {e.learningRate(), e.trainLoss(), e.trainAccuracy(), e.valLoss(),
                e.valAccuracy(), e.seconds(), e.imagesPerSecond()}) {
                assertTrue(Double.isFinite(v), "every history value is present: " + e);
            }
        }
        assertTrue(o.history().get(7).valAccuracy() > 0.5, "learns the synthetic classes: " + o.history());
        assertTrue(Files.exists(tmp.resolve("a/" + Trainer.LAST_CHECKPOINT)));
        assertTrue(Files.exists(tmp.resolve("a/" + Trainer.BEST_CHECKPOINT)));
    }

    @Test
    void theLastValidationIsAnEvaluationOfTheFinishedNetwork() {
        // cnn:benchmark takes it as the test evaluation when the validation split is the test split; that holds
        // only if nothing changed the network after it and it covers every image with its logits.
        TrainingConfig cfg = config(2);
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            Trainer trainer = new Trainer(net, cfg, tmp.resolve("v"), null);
            Trainer.Outcome o = trainer.fit(TRAIN, VAL, 50, false);
            Evaluation last = o.lastValidation();
            assertNotNull(last);
            assertEquals(o.history().get(1).valLoss(), last.loss());
            Evaluation again = trainer.evaluate(VAL, 50, 10);
            assertEquals(VAL.size(), last.images());
            assertEquals(VAL.size() * 10, last.logits().length);
            assertTrue(Arrays.equals(again.logits(), last.logits()), "same network, images and batch size");
            assertEquals(again.accuracy(), last.accuracy());
            assertTrue(Arrays.deepEquals(again.confusion(), last.confusion()));
            // A run resumed after its last epoch trains nothing, so it has no validation of the network to offer.
            Trainer.Outcome resumed = new Trainer(net, cfg, tmp.resolve("v"), null).fit(TRAIN, VAL, 50, true);
            assertEquals(2, resumed.history().size());
            assertNull(resumed.lastValidation());
        }
    }

    @Test
    void sameSeedGivesIdenticalHistory() {
        List<EpochRecord> a = train(config(2), tmp.resolve("a"), false).history();
        List<EpochRecord> b = train(config(2), tmp.resolve("b"), false).history();
        assertEquals(metrics(a), metrics(b));
    }

    @Test
    void resumingFromACheckpointMatchesAnUninterruptedRun() {
        List<EpochRecord> full = train(config(3), tmp.resolve("full"), false).history();
        // Stop after 2 of 3 epochs by training a 3-epoch config whose process "dies": simulate by copying the
        // checkpoint written after epoch 2 of an identical run, then resuming.
        Path dir = tmp.resolve("resumed");
        TrainingConfig cfg = config(3);
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), 7, Device.cpu())) {
            new Trainer(net, cfg, dir, new TrainingListener() {
                @Override
                public void onEpochEnd(EpochRecord e, List<EpochRecord> history) {
                    if (e.epoch() == 2) {
                        throw new StopHere();
                    }
                }
            }).fit(TRAIN, VAL, false);
        } catch (StopHere expected) {
            // the checkpoint for epoch 2 was written before the listener ran
        }
        List<EpochRecord> resumed = train(cfg, dir, true).history();
        assertEquals(metrics(full), metrics(resumed));
    }

    @Test
    void nonFiniteLossStopsWithAClearMessage() {
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), 7, Device.cpu())) {
            float[] nan = new float[10 * 16];
            Arrays.fill(nan, Float.NaN);
            net.setParameter("dense/kernel", nan);
            Trainer.Outcome o = new Trainer(net, config(2), tmp.resolve("nan"), null).fit(TRAIN, VAL, false);
            assertNotNull(o.failure());
            assertTrue(o.failure().contains("loss became NaN at epoch 1"), o.failure());
            assertTrue(o.failure().contains("cnn.learningRate"), o.failure());
            assertNull(o.lastValidation(), "a failed training offers no evaluation of its network");
        }
    }

    @Test
    void scheduleFollowsTheNotebook() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 30);
        assertEquals(5, s.warmupEpochs());
        assertEquals(1e-5, s.at(0), 1e-12);
        assertEquals(1e-5 + (1e-3 - 1e-5) * 2 / 5, s.at(2), 1e-12);
        assertEquals(1e-3, s.at(5), 1e-12);
        assertEquals((1e-3 - 1e-5) * Math.cos(12.0 / 24 * Math.PI / 2) + 1e-5, s.at(17), 1e-12);
        assertEquals(1e-5, s.at(29), 1e-12);
        LearningRateSchedule shorter = new LearningRateSchedule(1e-3, 12);
        assertEquals(2, shorter.warmupEpochs());
        assertEquals(1e-3, new LearningRateSchedule(1e-3, 2).at(0), 1e-12);
    }

    static Trainer.Outcome train(TrainingConfig cfg, Path dir, boolean resume) {
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            return new Trainer(net, cfg, dir, null).fit(TRAIN, VAL, resume);
        }
    }

    /** Everything but wall-clock time, which no seed controls. */
    static List<List<Double>> metrics(List<EpochRecord> h) {
        return h.stream().map(e -> List.of((double) e.epoch(), e.learningRate(), e.trainLoss(), e.trainAccuracy(),
                e.valLoss(), e.valAccuracy())).toList();
    }

    static final class StopHere extends RuntimeException {
    }

    @Test
    void theBestValidationAccuracyIsTheBestEpochsEvenAfterAnEpochWithANaNLoss() {
        java.util.function.BiFunction<Double, Double, EpochRecord> epoch =
                (loss, acc) -> new EpochRecord(1, 1e-3, 1, 0.5, loss, acc, 1, 1);
        List<EpochRecord> history = List.of(epoch.apply(1.2, 0.40), epoch.apply(Double.NaN, 0.10),
                epoch.apply(0.9, 0.55), epoch.apply(1.0, 0.52));
        assertEquals(0.55, Trainer.validationAccuracyAt(history, 0.9), 0.0);
        // No epoch with a usable loss: nothing to report.
        assertTrue(Double.isNaN(Trainer.validationAccuracyAt(List.of(epoch.apply(Double.NaN, 0.1)),
                Double.POSITIVE_INFINITY)));
    }
}
