package io.cnnbench.core.djl;

import static io.cnnbench.testing.Fixtures.assertClose;
import static io.cnnbench.testing.Fixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.core.train.GaussianTraining;
import io.cnnbench.core.train.Optimizer;
import io.cnnbench.core.train.TrainStep;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Channels-last is a memory layout only: the same network trained and evaluated in it gives the same numbers as
 * in NCHW, up to float rounding (oneDNN sums in another order), and the batch it builds is really laid out
 * channels-last (otherwise the speed-up measured in docs/performance.md would silently be lost).
 */
class ImageLayoutTest {

    /**
     * The operations the bundled architectures run on feature maps: a stride-2 convolution with Keras' asymmetric
     * padding, batch-norm, hard-swish, a depthwise convolution, a squeeze-and-excite gate (pool, 1×1 convolutions
     * with bias, hard-sigmoid, multiply), a residual add and a grouped 1×1 convolution (run as a matrix product).
     */
    private static Graph graph() {
        Graph g = new Graph("layout", Dims.of(3, 12, 12));
        Tensor x = g.hardSwish(g.batchNorm(g.conv2d(g.input(), ConvSpec.of(8, 3).stride(2))));
        Tensor d = g.relu(g.batchNorm(g.conv2d(x, ConvSpec.of(8, 3).groups(8))));
        Tensor gate = g.relu(g.conv2d(g.globalAvgPool(d, true), ConvSpec.of(4, 1).bias(true)));
        gate = g.hardSigmoid(g.conv2d(gate, ConvSpec.of(8, 1).bias(true)));
        x = g.add(x, g.multiply(d, gate));
        x = g.relu(g.batchNorm(g.conv2d(x, ConvSpec.of(16, 1).groups(4))));
        g.setOutput(g.dense(g.globalAvgPool(x, false), 10, true));
        return g;
    }

    @Test
    void theChannelsLastBatchHoldsTheSameValuesInAnotherMemoryOrder() throws Exception {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
            float[] values = gaussian(2 * 3 * 5 * 4, 1);
            NDArray images = m.create(values, new Shape(2, 3, 5, 4));
            assertSame(images, ImageLayout.NCHW.apply(images));
            NDArray laidOut = ImageLayout.CHANNELS_LAST.apply(images);
            assertEquals(images.getShape(), laidOut.getShape());
            assertArrayEquals(values, laidOut.toFloatArray());
            assertTrue(contiguous(images));
            assertFalse(contiguous(laidOut), "a channels-last (N, C, H, W) view is not contiguous in NCHW order");
            // the layout survives the operations, so every layer runs in it
            NDArray convolved = ai.djl.nn.convolutional.Conv2d.conv2d(laidOut, m.ones(new Shape(6, 3, 3, 3)), null,
                    new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            assertFalse(contiguous(convolved.add(1).mul(2)), "the convolution and element-wise output stay channels-last");
        }
    }

    @Test
    void trainingAndEvaluationGiveTheSameNumbersInBothLayouts() {
        Map<String, float[]> nchw = trainTwoStepsThenEvaluate(ImageLayout.NCHW);
        Map<String, float[]> channelsLast = trainTwoStepsThenEvaluate(ImageLayout.CHANNELS_LAST);
        assertEquals(nchw.keySet(), channelsLast.keySet());
        for (String k : nchw.keySet()) {
            assertClose(k, nchw.get(k), channelsLast.get(k), 1e-4);
        }
    }

    @Test
    void theDefaultIsChannelsLastOnTheCpuAndTheNamesParse() {
        assertEquals(ImageLayout.CHANNELS_LAST, ImageLayout.defaultFor(Device.cpu()));
        assertEquals(ImageLayout.NCHW, ImageLayout.defaultFor(Device.gpu()));
        assertEquals(ImageLayout.CHANNELS_LAST, ImageLayout.parse(" Channels-Last"));
        assertEquals(ImageLayout.NCHW, ImageLayout.parse("nchw"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageLayout.parse("nhwc"));
        assertTrue(e.getMessage().contains("nchw or channels-last"), e.getMessage());
    }

    private static Map<String, float[]> trainTwoStepsThenEvaluate(ImageLayout layout) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Network net = Network.create(graph(), 5, Device.cpu(), true, layout)) {
            assertEquals(layout, net.layout());
            TrainStep step = new TrainStep(net, Optimizer.create("adam", net.parameters(), 0.9, false, 0));
            Shape shape = new Shape(6, 3, 12, 12);
            float[] losses = GaussianTraining.run(step, net.manager(), shape, 2, 10, 1e-2);
            for (int s = 0; s < losses.length; s++) {
                out.put("loss of step " + s, new float[] {losses[s]});
            }
            for (var p : net.block().getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                out.put("logits", net.forward(net.manager().create(gaussian((int) shape.size(), 20), shape), false)
                        .toFloatArray());
            }
        }
        return out;
    }

    /** libtorch's is_contiguous, which DJL 0.36 binds but does not expose. */
    private static boolean contiguous(NDArray a) throws ReflectiveOperationException {
        Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        Field lib = library.getDeclaredField("LIB");
        lib.setAccessible(true);
        Method isContiguous = library.getDeclaredMethod("torchIsContiguous", long.class);
        isContiguous.setAccessible(true);
        return (boolean) isContiguous.invoke(lib.get(null), ((PtNDArray) a).getHandle());
    }
}
