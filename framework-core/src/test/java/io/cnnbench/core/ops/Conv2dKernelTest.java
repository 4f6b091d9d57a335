package io.cnnbench.core.ops;

import static io.cnnbench.testing.Fixtures.assertClose;
import static io.cnnbench.testing.Fixtures.gaussian;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A 1×1 convolution of a 1×1 image (squeeze-and-excitation's layers), which the kernel computes as a matrix product:
 * the convolution's values and its gradients to the input, the kernel and the bias, in both layouts.
 */
class Conv2dKernelTest {
    @Test
    void aPointwiseConvolutionOfAOnePixelImageEqualsOneDnnsConvolution() {
        Engines.pytorch();
        // mobilenetv3-small's stage9 excitation shape (576 -> 144), and a bias-free odd one.
        for (boolean bias : new boolean[] {true, false}) {
            int in = bias ? 576 : 7;
            int out = bias ? 144 : 5;
            Op.Conv2d op = new Op.Conv2d(out, 1, 1, 1, 1, 1, bias, 0, 0, 0, 0);
            for (ImageLayout layout : ImageLayout.values()) {
                try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
                    Shape shape = new Shape(16, in, 1, 1);
                    float[] x = gaussian((int) shape.size(), 31, 1f, 0.1f);
                    float[] w = gaussian(out * in, 32, 0.05f, 0f);
                    float[] b = gaussian(out, 33, 0.5f, 0f);
                    float[] up = gaussian(16 * out, 34, 1f, 0.2f);
                    float[][] kernel = pass(m, layout, shape, x, w, bias ? b : null, up,
                            a -> Conv2dKernel.INSTANCE.forward(op, List.of(a.get(0)), a.subNDList(1), true));
                    float[][] conv = pass(m, layout, shape, x, w, bias ? b : null, up,
                            a -> Conv2d.conv2d(a.get(0), a.get(1), bias ? a.get(2) : null, new Shape(1, 1),
                                    new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow());
                    String what = in + "->" + out + " " + layout;
                    assertClose(what + " value", conv[0], kernel[0], 1e-5);
                    for (int i = 1; i < conv.length; i++) {
                        assertClose(what + " gradient " + i, conv[i], kernel[i], 1e-5);
                    }
                }
            }
        }
    }

    /** The output, then the gradients of the input, the kernel and (when given) the bias. */
    private static float[][] pass(NDManager m, ImageLayout layout, Shape shape, float[] x, float[] w, float[] b,
                                  float[] up, Function<NDList, NDArray> conv) {
        int out = w.length / (int) shape.get(1);
        NDArray input = layout.apply(m.create(x, shape));
        NDArray kernel = m.create(w, new Shape(out, shape.get(1), 1, 1));
        NDList args = b == null ? new NDList(input, kernel) : new NDList(input, kernel, m.create(b));
        for (NDArray a : args) {
            a.setRequiresGradient(true);
        }
        try (GradientCollector c = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
            NDArray y = conv.apply(args);
            c.backward(y.mul(m.create(up, y.getShape())).sum());
            float[][] result = new float[args.size() + 1][];
            result[0] = y.toFloatArray();
            for (int i = 0; i < args.size(); i++) {
                result[i + 1] = args.get(i).getGradient().toFloatArray();
            }
            return result;
        }
    }
}
