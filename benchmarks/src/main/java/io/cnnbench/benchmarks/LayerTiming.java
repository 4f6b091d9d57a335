package io.cnnbench.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.function.Supplier;

/** Timing one layer in isolation, the way it runs inside a training step: medians of runs in their own scopes. */
final class LayerTiming {
    private LayerTiming() {
    }

    /**
     * A new leaf over {@code array}'s values that requires a gradient. Made inside each timed run, so the backward
     * pass hands it its gradient instead of adding into one kept from the previous run: a layer inside a network
     * passes its input's gradient on, it does not accumulate it.
     */
    static NDArray leaf(NDArray array) {
        NDArray leaf = array.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** Forward and backward of {@code forward()}, with {@code upstream} as the gradient of its output. */
    static double trainMs(Engine engine, int warmup, int runs, NDArray upstream, Supplier<NDArray> forward) {
        return medianMs(warmup, runs, () -> {
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray loss = forward.get().mul(upstream).sum();
                gc.backward(loss);
                return loss;
            }
        });
    }

    /** Each run in its own scope, so its arrays are freed before the next, as a training step's are. */
    static double medianMs(int warmup, int runs, Supplier<NDArray> run) {
        double[] ms = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            try (NDScope scope = new NDScope()) {
                long start = System.nanoTime();
                run.get();
                long end = System.nanoTime();
                if (i >= warmup) {
                    ms[i - warmup] = (end - start) / 1e6;
                }
            }
        }
        return Stats.of(ms).median();
    }
}
