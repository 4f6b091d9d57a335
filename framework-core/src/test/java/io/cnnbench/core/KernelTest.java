package io.cnnbench.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Op;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.core.djl.Network;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DJL forms of the operations against plain-Java reference computations. */
class KernelTest {

    @Test
    void convolutionMatchesReferenceIncludingKerasAsymmetricPaddingAndGroups() {
        for (int stride : new int[] {1, 2}) {
            Graph g = new Graph("conv", Dims.of(4, 6, 6));
            Tensor y = g.conv2d(g.input(), ConvSpec.of(6, 3).stride(stride).groups(2).bias(true));
            g.setOutput(y);
            Op.Conv2d op = (Op.Conv2d) g.node(y.nodeId()).op();
            try (Network net = Network.create(g, 7, Device.cpu())) {
                float[] x = random(2 * 4 * 6 * 6, 1);
                float[] w = net.parameterValues(g.node(y.nodeId()).params().get(0).name());
                float[] b = random(6, 2);
                net.setParameter(g.node(y.nodeId()).params().get(1).name(), b);
                NDArray out = net.forward(net.manager().create(x, new Shape(2, 4, 6, 6)), false);
                float[] expected = ReferenceOps.conv2d(x, 2, 4, 6, 6, w, b, 6, 3, stride, 2, op.padTop(),
                        op.padLeft());
                assertEquals(new Shape(2, 6, y.shape().height(), y.shape().width()), out.getShape());
                assertArrayEquals(expected, out.toFloatArray(), 1e-5f, "stride " + stride);
            }
        }
    }

    @Test
    void batchNormMomentumHasKerasMeaningAndTrainingUsesBatchStatistics() {
        Graph g = new Graph("bn", Dims.of(2, 3, 3));
        Tensor y = g.batchNorm(g.input(), 0.9, 1e-3);
        g.setOutput(y);
        try (Network net = Network.create(g, 1, Device.cpu()); NDManager m = net.manager().newSubManager()) {
            float[] x = random(4 * 2 * 3 * 3, 3);
            NDArray out = net.forward(m.create(x, new Shape(4, 2, 3, 3)), true);
            double[] mean = new double[2];
            double[] sq = new double[2];
            int per = 4 * 9;
            for (int n = 0; n < 4; n++) {
                for (int c = 0; c < 2; c++) {
                    for (int i = 0; i < 9; i++) {
                        double v = x[(n * 2 + c) * 9 + i];
                        mean[c] += v / per;
                        sq[c] += v * v / per;
                    }
                }
            }
            float[] runningMean = net.parameterValues("bn/moving_mean");
            float[] runningVar = net.parameterValues("bn/moving_variance");
            for (int c = 0; c < 2; c++) {
                // Keras: running = 0.9 * running + 0.1 * batch, starting from mean 0 and variance 1.
                assertEquals(0.1 * mean[c], runningMean[c], 1e-5, "running mean, channel " + c);
                double biasedVar = sq[c] - mean[c] * mean[c];
                double unbiasedVar = biasedVar * per / (per - 1);
                // PyTorch (like TensorFlow's fused batch-norm) feeds the unbiased batch variance to the average.
                assertEquals(0.9 + 0.1 * unbiasedVar, runningVar[c], 1e-5, "running variance, channel " + c);
                float first = out.toFloatArray()[c * 9];
                assertEquals((x[c * 9] - mean[c]) / Math.sqrt(biasedVar + 1e-3), first, 1e-4);
            }
        }
    }

    @Test
    void sumPathsAddsChannelBlocks() {
        Graph g = new Graph("sum", Dims.of(6, 1, 1));
        g.setOutput(g.sumPaths(g.input(), 3));
        try (Network net = Network.create(g, 1, Device.cpu())) {
            float[] x = {1, 2, 10, 20, 100, 200};
            NDArray out = net.forward(net.manager().create(x, new Shape(1, 6, 1, 1)), false);
            assertArrayEquals(new float[] {111, 222}, out.toFloatArray());
        }
    }

    @Test
    void hardActivationsFollowMobileNetV3() {
        Graph g2 = new Graph("act2", Dims.of(5, 1, 1));
        g2.setOutput(g2.hardSigmoid(g2.input()));
        float[] x = {-4, -1, 0, 2, 5};
        try (Network net = Network.create(g2, 1, Device.cpu())) {
            float[] out = net.forward(net.manager().create(x, new Shape(1, 5, 1, 1)), false).toFloatArray();
            assertArrayEquals(new float[] {0, 2f / 6, 0.5f, 5f / 6, 1}, out, 1e-6f);
        }
        Graph g3 = new Graph("act3", Dims.of(5, 1, 1));
        g3.setOutput(g3.hardSwish(g3.input()));
        try (Network net = Network.create(g3, 1, Device.cpu())) {
            float[] out = net.forward(net.manager().create(x, new Shape(1, 5, 1, 1)), false).toFloatArray();
            assertArrayEquals(new float[] {0, -2f / 6, 0, 10f / 6, 5}, out, 1e-6f);
        }
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
