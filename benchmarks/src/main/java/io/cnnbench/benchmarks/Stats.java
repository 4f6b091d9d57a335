package io.cnnbench.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Minimum, median and maximum of repeated measurements. */
record Stats(double min, double median, double max) {
    static Stats of(double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new Stats(s[0], median, s[s.length - 1]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%9.1f %9.1f %9.1f", min, median, max);
    }
}
