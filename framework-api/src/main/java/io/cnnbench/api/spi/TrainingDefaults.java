package io.cnnbench.api.spi;

/**
 * Hyper-parameters an architecture trains with unless the user overrides them. The defaults are the
 * notebook's: 30 epochs, batch 64, Adam at peak learning rate 0.001.
 */
public record TrainingDefaults(int epochs, int batchSize, double learningRate, String optimizer,
                               double weightDecay) {
    public static final TrainingDefaults NOTEBOOK = new TrainingDefaults(30, 64, 1e-3, "adam", 0.0);
}
