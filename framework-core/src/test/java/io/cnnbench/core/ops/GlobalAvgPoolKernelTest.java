package io.cnnbench.core.ops;

import static io.cnnbench.testing.Fixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Global average pooling, computed as a sum divided by H·W for its faster backward pass, gives libtorch's mean to
 * the bit, value and input gradient, in both layouts: what changed is the gradient's memory (a broadcast view), not
 * its numbers.
 */
class GlobalAvgPoolKernelTest {
    @Test
    void equalsLibtorchsMeanToTheBitForwardAndBackward() {
        Engines.pytorch();
        // A squeeze-excite shape of mobilenetv3-small, the head's of resnext-seed, and an odd one.
        for (Shape shape : List.of(new Shape(8, 240, 7, 7), new Shape(4, 256, 7, 7), new Shape(3, 5, 3, 3))) {
            for (ImageLayout layout : ImageLayout.values()) {
                for (boolean keepDims : new boolean[] {true, false}) {
                    try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
                        long n = shape.get(0);
                        long c = shape.get(1);
                        float[] values = gaussian((int) shape.size(), 21, 3f, 1f);
                        float[] upstream = gaussian((int) (n * c), 22, 1f, 0.2f);
                        Op.GlobalAvgPool op = new Op.GlobalAvgPool(keepDims);
                        float[][] kernel = pass(m, layout, shape, values, upstream,
                                x -> GlobalAvgPoolKernel.INSTANCE.forward(op, List.of(x), List.of(), true));
                        float[][] mean = pass(m, layout, shape, values, upstream,
                                x -> x.reshape(n, c, -1).mean(new int[] {2}));
                        String what = shape + " " + layout + (keepDims ? " keepDims" : "");
                        assertArrayEquals(mean[0], kernel[0], 0f, what + " value");
                        assertArrayEquals(mean[1], kernel[1], 0f, what + " input gradient");
                    }
                }
            }
        }
    }

    @Test
    void keepsTheUnitAxesOnlyWhenAsked() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
            NDArray x = m.ones(new Shape(2, 3, 4, 5));
            assertEquals(new Shape(2, 3, 1, 1), GlobalAvgPoolKernel.INSTANCE.forward(new Op.GlobalAvgPool(true),
                    List.of(x), List.of(), false).getShape());
            NDArray pooled = GlobalAvgPoolKernel.INSTANCE.forward(new Op.GlobalAvgPool(false), List.of(x), List.of(),
                    false);
            assertEquals(new Shape(2, 3), pooled.getShape());
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, pooled.toFloatArray(), 0f);
        }
    }

    private static float[][] pass(NDManager m, ImageLayout layout, Shape shape, float[] values, float[] upstream,
                                  UnaryOperator<NDArray> pool) {
        NDArray x = layout.apply(m.create(values, shape));
        x.setRequiresGradient(true);
        try (GradientCollector c = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
            NDArray y = pool.apply(x).reshape(shape.get(0), shape.get(1));
            c.backward(y.mul(m.create(upstream, y.getShape())).sum());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray()};
        }
    }
}
