package io.cnnbench.core.train;

import io.cnnbench.cifar.Augmentation;

/**
 * How one architecture is trained. Defaults are the notebook's recipe.
 *
 * @param earlyStoppingPatience epochs without a lower validation loss before stopping; 0 turns it off
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, String optimizer, double momentum,
                             boolean nesterov, double weightDecay, long seed, int earlyStoppingPatience,
                             Augmentation augmentation) {

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
                + ",patience=" + earlyStoppingPatience + ",augmentation=" + augmentation;
    }
}
