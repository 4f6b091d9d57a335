package io.cnnbench.reports;

/**
 * One epoch of training, as {@code history.csv} stores it. Every field is always present: validation runs
 * every epoch, so the notebook's missing {@code val_accuracy} cannot happen.
 */
public record EpochRecord(int epoch, double learningRate, double trainLoss, double trainAccuracy, double valLoss,
                          double valAccuracy, double seconds, double imagesPerSecond) {
}
