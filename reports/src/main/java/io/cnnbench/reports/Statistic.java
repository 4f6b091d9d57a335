package io.cnnbench.reports;

import java.util.Collection;

/**
 * Mean and sample standard deviation (divisor n - 1) of one metric over an architecture's seeds. With one value
 * the standard deviation is undefined and reads as {@code NaN}; {@link #stdOrZero()} is what tolerances use.
 */
public record Statistic(int count, double mean, double std) {

    /** No value: the metric was not measured in any run. */
    public static final Statistic NONE = new Statistic(0, Double.NaN, Double.NaN);

    /** Statistic of the given values; {@code NaN}s (cells left empty) are skipped. */
    public static Statistic of(Collection<Double> values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                n++;
                sum += v;
            }
        }
        if (n == 0) {
            return NONE;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Statistic(1, mean, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        return new Statistic(n, mean, Math.sqrt(squares / (n - 1)));
    }

    public boolean present() {
        return count > 0;
    }

    /** The standard deviation, or 0 where it is undefined (fewer than two values). */
    public double stdOrZero() {
        return Double.isNaN(std) ? 0 : std;
    }
}
