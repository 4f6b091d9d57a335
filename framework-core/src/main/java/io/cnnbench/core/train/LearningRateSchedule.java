package io.cnnbench.core.train;

/**
 * The notebook's schedule, per epoch: linear warm-up from 0.01·peak to peak, then cosine decay from peak to
 * 0.01·peak: {@code lr = (peak − final)·max(0, cos(((e − W)/(D − 1))·π/2)) + final}. With 30 epochs W = 5 and
 * D = 25 exactly as the notebook had; with fewer, W is a sixth of the epochs (rounded down) and D the rest.
 */
public final class LearningRateSchedule {
    private final double peak;
    private final double start;
    private final double end;
    private final int warmupEpochs;
    private final int decayEpochs;

    public LearningRateSchedule(double peak, int epochs) {
        if (!(peak > 0) || epochs < 1) {
            throw new IllegalArgumentException("learning rate must be positive and epochs at least 1");
        }
        this.peak = peak;
        this.start = 0.01 * peak;
        this.end = 0.01 * peak;
        this.warmupEpochs = epochs >= 30 ? 5 : epochs / 6;
        this.decayEpochs = epochs - warmupEpochs;
    }

    public int warmupEpochs() {
        return warmupEpochs;
    }

    /** The learning rate for 0-based epoch {@code e}. */
    public double at(int e) {
        if (e < warmupEpochs) {
            return start + (peak - start) * e / warmupEpochs;
        }
        if (decayEpochs <= 1) {
            return peak;
        }
        double progress = (double) (e - warmupEpochs) / (decayEpochs - 1);
        return (peak - end) * Math.max(0, Math.cos(progress * Math.PI / 2)) + end;
    }
}
