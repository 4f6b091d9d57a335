package io.cnnbench.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

/**
 * Helpers the modules' tests share: seeded Gaussian arrays and an array comparison with a tolerance relative to
 * the values' magnitude.
 *
 * <p>The Gaussian variants differ in how they round, and tests pin values computed with each, so they are kept
 * apart: each draws {@code n} values from {@code new Random(seed).nextGaussian()} in order, and only the
 * arithmetic that turns a draw into a float differs.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** Standard-normal values: {@code (float) g}. What a normalised image looks like to a network. */
    public static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** Normal values with standard deviation {@code scale}, scaled in double, then rounded: {@code (float) (scale * g)}. */
    public static float[] gaussian(int n, long seed, double scale) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * r.nextGaussian());
        }
        return v;
    }

    /** Normal values in float arithmetic: {@code mean + sd * (float) g}. */
    public static float[] gaussian(int n, long seed, float sd, float mean) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * (float) r.nextGaussian();
        }
        return v;
    }

    /**
     * Asserts that the arrays have the same length and that {@code max |expected - actual| <= relative * scale},
     * where scale is the largest {@code |expected|}, at least 1.
     */
    public static void assertClose(String what, float[] expected, float[] actual, double relative) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxDiff <= relative * scale, what + ": max |difference| " + maxDiff + " over scale " + scale
                + " (allowed " + relative + " of the scale)");
    }
}
