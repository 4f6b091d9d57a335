package io.cnnbench.core.ops;

import static io.cnnbench.testing.Fixtures.assertClose;
import static io.cnnbench.testing.Fixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * libtorch's hard-swish and hard-sigmoid, reached through TorchScript, against the same functions composed from
 * DJL's operations: the values, the input gradients under an uneven upstream gradient, both memory layouts, and
 * no gradient recorded outside a gradient collector.
 */
class LibtorchActivationsTest {
    private static final Shape SHAPE = new Shape(4, 24, 5, 5);

    @Test
    void hardSwishMatchesTheComposedForm() {
        compare("hard-swish", x -> LibtorchActivations.shared().hardSwish(x), ActivationKernel::composedHardSwish);
    }

    @Test
    void hardSigmoidMatchesTheComposedForm() {
        compare("hard-sigmoid", x -> LibtorchActivations.shared().hardSigmoid(x),
                ActivationKernel::composedHardSigmoid);
    }

    /** Inference (evaluation, ONNX parity) runs outside a collector: the result must not hold a backward graph. */
    @Test
    void recordsNoGradientOutsideACollector() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
            NDArray x = m.create(gaussian((int) SHAPE.size(), 5, 4f, 0f), SHAPE);
            NDArray y = LibtorchActivations.shared().hardSwish(x);
            assertEquals(SHAPE, y.getShape());
            assertEquals(false, y.hasGradient());
        }
    }

    private static void compare(String what, UnaryOperator<NDArray> libtorch, UnaryOperator<NDArray> composed) {
        Engines.pytorch();
        assertNotNull(LibtorchActivations.shared(), "libtorch's activations must load from the bundled natives");
        for (ImageLayout layout : ImageLayout.values()) {
            try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
                // Scale 4 around 0: every piece of both functions (below −3, the ramp, above 3) is hit.
                float[] values = gaussian((int) SHAPE.size(), 11, 4f, 0f);
                float[] upstream = gaussian((int) SHAPE.size(), 12, 1f, 0.3f);
                float[][] a = pass(m, layout, values, upstream, libtorch);
                float[][] b = pass(m, layout, values, upstream, composed);
                assertClose(what + " " + layout + " value", b[0], a[0], 1e-6);
                assertClose(what + " " + layout + " input gradient", b[1], a[1], 1e-6);
            }
        }
    }

    private static float[][] pass(NDManager m, ImageLayout layout, float[] values, float[] upstream,
            UnaryOperator<NDArray> f) {
        NDArray x = layout.apply(m.create(values, SHAPE));
        x.setRequiresGradient(true);
        NDArray g = layout.apply(m.create(upstream, SHAPE));
        try (GradientCollector c = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
            NDArray y = f.apply(x);
            c.backward(y.mul(g).sum());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray()};
        }
    }
}
