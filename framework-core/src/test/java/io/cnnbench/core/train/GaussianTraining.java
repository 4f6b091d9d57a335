package io.cnnbench.core.train;

import static io.cnnbench.testing.Fixtures.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/** Training steps on seeded Gaussian images, for tests that train the same network two ways and compare. */
public final class GaussianTraining {
    private GaussianTraining() {
    }

    /**
     * Runs {@code steps} steps, each on a batch of {@code shape} drawn with seed {@code firstSeed + step}, the images
     * labelled 0, 1, 2, … (modulo 10), each step's temporaries freed with it.
     *
     * @return each step's loss
     */
    public static float[] run(TrainStep step, NDManager manager, Shape shape, int steps, long firstSeed, double lr) {
        float[] labels = new float[Math.toIntExact(shape.get(0))];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        float[] losses = new float[steps];
        for (int s = 0; s < steps; s++) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray images = manager.create(gaussian((int) shape.size(), firstSeed + s), shape);
                losses[s] = (float) step.run(images, manager.create(labels), lr)[0];
            }
        }
        return losses;
    }
}
