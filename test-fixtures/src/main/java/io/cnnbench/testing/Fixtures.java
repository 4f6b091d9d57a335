package io.cnnbench.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
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
    /** The blocks {@link #overwriteFreedNativeMemory} filled, kept reachable: freed, they would lose the filling. */
    private static volatile List<ByteBuffer> filler = List.of();

    private Fixtures() {
    }

    /**
     * Lets the JVM free what is no longer referenced, then fills 4,096 small native blocks with 1e30; call it between
     * a forward and a backward pass. DJL's PyTorch engine wraps a Number operand ({@code maximum(0f)},
     * {@code div(6f)}) in a tensor over a small Java buffer that is freed once the operation returns, while autograd
     * may still read it in backward: a kernel that does so then computes with 1e30 instead of its constant, and its
     * gradients change. That happened once (a variance clamp written {@code maximum(0f)}, docs/performance.md): the
     * same seed trained to different accuracies from run to run.
     *
     * <p>glibc gives a freed small block back to another thread only from its shared arena, not from the freeing
     * thread's cache, and the JVM frees these blocks on its cleaner thread; the build's tests therefore run without
     * per-thread caches and with one arena ({@code GLIBC_TUNABLES=glibc.malloc.tcache_count=0},
     * {@code MALLOC_ARENA_MAX=1}, surefire's environment). Under glibc's defaults this finds nothing.
     */
    public static void overwriteFreedNativeMemory() {
        System.gc();
        try {
            Thread.sleep(100); // the cleaner thread frees the buffers the collection found unreachable
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> blocks = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 4) * 4).order(ByteOrder.nativeOrder());
            while (b.remaining() >= Float.BYTES) {
                b.putFloat(1e30f);
            }
            blocks.add(b);
        }
        filler = blocks;
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
