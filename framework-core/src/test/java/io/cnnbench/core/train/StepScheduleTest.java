package io.cnnbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.core.djl.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepScheduleTest {
    @TempDir
    Path dir;

    @Test
    void theShapeIsSpreadOverTheSteps() {
        StepSchedule s = new StepSchedule(1e-3, 120); // warm-up 20 steps
        assertEquals(1e-5, s.at(0), 1e-15);
        assertEquals(1e-3, s.at(20), 1e-15);
        assertEquals(1e-5, s.at(119), 1e-12);
        for (int i = 1; i < 20; i++) {
            assertTrue(s.at(i) > s.at(i - 1), "warm-up rises at step " + i);
        }
        for (int i = 21; i < 120; i++) {
            assertTrue(s.at(i) < s.at(i - 1), "decay falls at step " + i);
        }
        // Half way through a 2-epoch run the rate is still high, where the per-epoch schedule is at its floor.
        assertTrue(s.at(60) > 0.5e-3, "step 60: " + s.at(60));
        assertEquals(1e-5, new LearningRateSchedule(1e-3, 2).at(1), 1e-15);
    }

    @Test
    void aTwoEpochRunOnTheStepScheduleStillLearnsInItsSecondEpoch() {
        TrainingConfig cfg = new TrainingConfig(2, 32, 3e-3, "adam", 0.9, false, 0, 7, 0, Augmentation.NOTEBOOK,
                TrainingConfig.PER_STEP);
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), cfg.seed(), Device.cpu())) {
            Trainer.Outcome o = new Trainer(net, cfg, dir, null).fit(TrainerTest.TRAIN, TrainerTest.VAL, false);
            assertTrue(o.history().get(0).learningRate() < 1e-3, "epoch 1 starts in the warm-up");
            assertTrue(o.history().get(1).learningRate() > 1e-3, "epoch 2 starts near the peak, not at 1%: "
                    + o.history().get(1).learningRate());
        }
    }
}
