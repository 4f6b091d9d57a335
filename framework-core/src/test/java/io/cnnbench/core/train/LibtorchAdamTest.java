package io.cnnbench.core.train;

import static io.cnnbench.testing.Fixtures.assertClose;
import static io.cnnbench.testing.Fixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import io.cnnbench.core.djl.Network;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adam in one libtorch call (libtorch's fused kernel) against Keras' Adam one parameter at a time: the same network
 * trained three steps each way must end with the same weights, moments and cleared gradients, up to rounding, with
 * and without weight decay; and with gradients as small as Keras' epsilon, where putting epsilon in the wrong place
 * or at the wrong scale would show.
 */
class LibtorchAdamTest {
    private static final float LEARNING_RATE = 1e-3f;

    private static Graph graph() {
        Graph g = new Graph("adam", Dims.of(3, 8, 8));
        Tensor x = g.relu(g.batchNorm(g.conv2d(g.input(), ConvSpec.of(8, 3))));
        x = g.relu(g.batchNorm(g.conv2d(x, ConvSpec.of(8, 3).groups(8))));
        g.setOutput(g.dense(g.globalAvgPool(x, false), 10, true));
        return g;
    }

    @Test
    void oneCallGivesTheSameNumbersAsOneParameterAtATime() {
        check(0);
    }

    @Test
    void oneCallGivesTheSameNumbersWithWeightDecay() {
        check(1e-2);
    }

    /**
     * Two updates from gradients of about 3e-6, where Keras' epsilon (1e-7 beside √v, which bias correction makes
     * about 3e-6 in the first update) halves the step: the weights' changes, in units of the learning rate, differ
     * by far more than rounding if the one-call form puts epsilon in the wrong place or at the wrong scale.
     */
    @Test
    void epsilonActsAsInKeras() {
        Engines.pytorch();
        Map<String, float[]> fused = updateFromTinyGradients(LibtorchAdam.shared());
        Map<String, float[]> reference = updateFromTinyGradients(null);
        assertEquals(reference.keySet(), fused.keySet());
        for (String k : reference.keySet()) {
            assertClose(k, reference.get(k), fused.get(k), 1e-3);
        }
    }

    private static Map<String, float[]> updateFromTinyGradients(LibtorchAdam oneCall) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Network net = Network.create(graph(), 9, Device.cpu(), true, ImageLayout.CHANNELS_LAST)) {
            Optimizer.Adam adam = new Optimizer.Adam(net.parameters(), 0, oneCall);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // A backward pass gives every parameter its gradient tensor; its values are then replaced.
                try (GradientCollector c = net.manager().getEngine().newGradientCollector()) {
                    Shape shape = new Shape(2, 3, 8, 8);
                    c.backward(net.forward(net.manager().create(gaussian((int) shape.size(), 40), shape), true)
                            .sum());
                }
                for (int s = 0; s < 2; s++) {
                    int seed = 50 + 10 * s;
                    for (Parameter p : net.parameters()) {
                        NDArray w = p.getArray();
                        if (w.hasGradient()) {
                            w.getGradient().set(gaussian((int) w.size(), seed++, 3e-6f, 0f));
                        }
                    }
                    Map<String, float[]> before = values(net);
                    adam.update(LEARNING_RATE);
                    values(net).forEach((k, after) -> {
                        float[] change = after.clone();
                        for (int i = 0; i < change.length; i++) {
                            change[i] = (change[i] - before.get(k)[i]) / LEARNING_RATE;
                        }
                        out.put(k + " change in update " + adam.step(), change);
                    });
                }
            }
        }
        return out;
    }

    private static Map<String, float[]> values(Network net) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) {
            if (p.requiresGradient()) {
                values.put(p.getName(), p.getArray().toFloatArray());
            }
        }
        return values;
    }

    private static void check(double weightDecay) {
        Engines.pytorch();
        LibtorchAdam oneCall = LibtorchAdam.shared();
        assertNotNull(oneCall, "libtorch's list operations must load from the bundled natives");
        Map<String, float[]> fused = train(oneCall, weightDecay);
        Map<String, float[]> reference = train(null, weightDecay);
        assertEquals(reference.keySet(), fused.keySet());
        for (String k : reference.keySet()) {
            assertClose(k, reference.get(k), fused.get(k), 1e-5);
        }
        // The check is only worth something if the steps moved the weights and the moments away from zero.
        assertFalse(Arrays.equals(reference.get("initial conv weight"), reference.get("final conv weight")));
    }

    private static Map<String, float[]> train(LibtorchAdam oneCall, double weightDecay) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Network net = Network.create(graph(), 9, Device.cpu(), true, ImageLayout.CHANNELS_LAST)) {
            Optimizer.Adam adam = new Optimizer.Adam(net.parameters(), weightDecay, oneCall);
            TrainStep step = new TrainStep(net, adam);
            String conv = net.block().getParameters().get(0).getKey();
            out.put("initial conv weight", net.block().getParameters().get(0).getValue().getArray().toFloatArray());
            Shape shape = new Shape(6, 3, 8, 8);
            float[] losses = GaussianTraining.run(step, net.manager(), shape, 3, 30, 3e-2);
            for (int s = 0; s < losses.length; s++) {
                out.put("loss of step " + s, new float[] {losses[s]});
            }
            for (var p : net.block().getParameters()) {
                NDArray w = p.getValue().getArray();
                out.put(p.getKey(), w.toFloatArray());
                if (w.hasGradient()) {
                    float[] grad = w.getGradient().toFloatArray();
                    assertArrayEquals(new float[grad.length], grad, 0f, p.getKey() + ": gradient cleared");
                }
                if (p.getKey().equals(conv)) {
                    out.put("final conv weight", w.toFloatArray());
                }
            }
            adam.state().forEach((k, v) -> out.put("state " + k, v.toFloatArray()));
            assertEquals(3, adam.step());
        }
        return out;
    }
}
