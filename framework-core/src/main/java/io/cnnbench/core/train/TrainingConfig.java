package io.cnnbench.core.train;

import io.cnnbench.cifar.Augmentation;

/**
 * How one architecture is trained. Defaults are the notebook's recipe.
 *
 * @param schedule              {@link #PER_EPOCH} (the notebook's) or {@link #PER_STEP}
 *
 * @param earlyStoppingPatience epochs without a lower validation loss before stopping; 0 turns it off
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, String optimizer, double momentum,
                             boolean nesterov, double weightDecay, long seed, int earlyStoppingPatience,
                             Augmentation augmentation, String schedule) {
    /** The per-epoch schedule: the notebook's recipe as it was written. */
    public static final String PER_EPOCH = "epoch";
    /** The same shape over the optimizer steps actually run ({@link StepSchedule}). */
    public static final String PER_STEP = "step";

    public TrainingConfig(int epochs, int batchSize, double learningRate, String optimizer, double momentum,
                          boolean nesterov, double weightDecay, long seed, int earlyStoppingPatience,
                          Augmentation augmentation) {
        this(epochs, batchSize, learningRate, optimizer, momentum, nesterov, weightDecay, seed,
                earlyStoppingPatience, augmentation, PER_EPOCH);
    }


    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("cnn.epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("cnn.batchSize must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("cnn.learningRate must be positive, got " + learningRate);
        }
        if (!PER_EPOCH.equals(schedule) && !PER_STEP.equals(schedule)) {
            throw new IllegalArgumentException("cnn.schedule must be epoch or step, got '" + schedule + "'");
        }
        if (earlyStoppingPatience < 0) {
            throw new IllegalArgumentException("cnn.earlyStoppingPatience must be 0 (off) or more");
        }
    }

    public static TrainingConfig notebook(long seed) {
        return new TrainingConfig(30, 64, 1e-3, "adam", 0.9, false, 0, seed, 0, Augmentation.NOTEBOOK);
    }

    /** What must match for a checkpoint to be resumed. */
    String fingerprint() {
        return "epochs=" + epochs + ",batch=" + batchSize + ",lr=" + learningRate + ",optimizer=" + optimizer
                + ",momentum=" + momentum + ",nesterov=" + nesterov + ",wd=" + weightDecay + ",seed=" + seed
                + ",patience=" + earlyStoppingPatience + ",augmentation=" + augmentation
                + (PER_EPOCH.equals(schedule) ? "" : ",schedule=" + schedule);
    }
}
