package io.cnnbench.core.train;

/**
 * The notebook's warm-up and cosine shape spread over the optimizer steps actually run, not over epochs: linear
 * warm-up from 0.01·peak to peak over the first sixth of the steps, then cosine decay to 0.01·peak at the last
 * step. A short run then spends its whole budget learning: with 2 epochs the per-epoch schedule runs the whole
 * second epoch at 0.01·peak.
 */
public final class StepSchedule {
    private final double peak;
    private final double floor;
    private final long warmupSteps;
    private final long totalSteps;

    public StepSchedule(double peak, long totalSteps) {
        if (!(peak > 0) || totalSteps < 1) {
            throw new IllegalArgumentException("learning rate must be positive and steps at least 1");
        }
        this.peak = peak;
        this.floor = 0.01 * peak;
        this.totalSteps = totalSteps;
        this.warmupSteps = totalSteps / 6;
    }

    /** The learning rate of 0-based step {@code step}. */
    public double at(long step) {
        if (step < warmupSteps) {
            return floor + (peak - floor) * step / warmupSteps;
        }
        long decaySteps = totalSteps - warmupSteps;
        if (decaySteps <= 1) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / (decaySteps - 1));
        return (peak - floor) * Math.cos(progress * Math.PI / 2) + floor;
    }
}
