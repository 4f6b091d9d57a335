package io.cnnbench.core.djl;

import static io.cnnbench.testing.Fixtures.assertClose;
import static io.cnnbench.testing.Fixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fused "grouped 1×1 expansion, batch-norm, sum over paths" against the same three nodes run one by one:
 * training outputs, every gradient, the updated running statistics and the inference outputs after them.
 */
class PathsExpansionTest {
    private static final int PATHS = 4;

    /** dense 1×1 → ReLU → grouped 1×1 expansion to 4 paths × 6 → batch-norm → sum of paths → ReLU. */
    private static Graph graph() {
        Graph g = new Graph("paths", Dims.of(8, 6, 6));
        Tensor x = g.relu(g.conv2d(g.input(), ConvSpec.of(12, 1)));
        x = g.conv2d(x, ConvSpec.of(PATHS * 6, 1).groups(PATHS));
        g.setOutput(g.relu(g.sumPaths(g.batchNorm(x), PATHS)));
        return g;
    }

    @Test
    void findsTheRunInTheGraph() {
        assertEquals(1, PathsExpansion.find(graph()).size());
    }

    @Test
    void fusedTrainingAndInferenceMatchTheNodesRunOneByOne() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
            Run fused = new Run(m, true);
            Run plain = new Run(m, false);
            float[] images = gaussian(5 * 8 * 6 * 6, 3, 2.0f, 0.5f);
            float[] upstream = gaussian(5 * 6 * 6 * 6, 4, 1.0f, 0f);

            Map<String, float[]> a = fused.trainingPass(images, upstream);
            Map<String, float[]> b = plain.trainingPass(images, upstream);
            assertEquals(b.keySet(), a.keySet());
            for (String k : b.keySet()) {
                assertClose(k, b.get(k), a.get(k), 1e-4);
            }
            assertClose("inference output", plain.inference(images), fused.inference(images), 1e-4);
        }
    }

    /**
     * The fused statistics take the variance as E[x xᵀ] − μ μᵀ, which float32 can round below zero when the input
     * barely varies around a large mean; the normalisation must then still be finite, as batch-norm's is.
     */
    @Test
    void anAlmostConstantInputGivesFiniteOutputsAndStatistics() {
        Engines.pytorch();
        Graph g = new Graph("constant", Dims.of(8, 6, 6));
        Tensor x = g.conv2d(g.input(), ConvSpec.of(PATHS * 6, 1).groups(PATHS));
        g.setOutput(g.sumPaths(g.batchNorm(x), PATHS));
        assertEquals(1, PathsExpansion.find(g).size());
        try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
            GraphBlock block = new GraphBlock(g, 7, true);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 8, 6, 6));
            float[] images = gaussian(5 * 8 * 6 * 6, 3, 1e-4f, 3000f);
            NDArray input = ImageLayout.CHANNELS_LAST.apply(m.create(images, new Shape(5, 8, 6, 6)));
            ParameterStore store = new ParameterStore(m, false);
            float[] out = block.forward(store, new NDList(input), true).singletonOrThrow().toFloatArray();
            for (float v : out) {
                assertTrue(Float.isFinite(v), "training output " + v);
            }
            block.getParameters().forEach(pair -> {
                boolean variance = pair.getValue().getType() == Parameter.Type.RUNNING_VAR;
                for (float v : pair.getValue().getArray().toFloatArray()) {
                    assertTrue(Float.isFinite(v), pair.getKey() + " holds " + v);
                    assertTrue(!variance || v >= 0, "running variance " + v);
                }
            });
        }
    }

    /** One network, with its parameters set to the same non-trivial values in both runs. */
    private static final class Run {
        final NDManager manager;
        final GraphBlock block;
        final ParameterStore store;

        Run(NDManager parent, boolean fuse) {
            manager = parent.newSubManager();
            block = new GraphBlock(graph(), 7, fuse);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 6, 6));
            int seed = 11;
            for (Parameter p : block.getParameters().values()) {
                NDArray v = p.getArray();
                // gamma away from 1, beta and running statistics away from their initial values
                float offset = p.getType() == Parameter.Type.RUNNING_VAR || p.getType() == Parameter.Type.GAMMA ? 1f : 0f;
                float[] values = gaussian((int) v.size(), seed++, 0.3f, 0f);
                for (int i = 0; i < values.length; i++) {
                    values[i] = offset + (offset > 0 ? Math.abs(values[i]) : values[i]);
                }
                v.set(values);
            }
            store = new ParameterStore(manager, false);
        }

        Map<String, float[]> trainingPass(float[] images, float[] upstream) {
            Map<String, float[]> out = new LinkedHashMap<>();
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(images, new Shape(5, 8, 6, 6));
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
                    NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
                    out.put("training output", y.toFloatArray());
                    // A fused kernel must not read in backward what the forward pass freed.
                    Fixtures.overwriteFreedNativeMemory();
                    gc.backward(y.mul(batch.create(upstream, y.getShape())).sum());
                }
                out.put("input gradient", x.getGradient().toFloatArray());
                block.getParameters().forEach(pair -> {
                    NDArray v = pair.getValue().getArray();
                    if (pair.getValue().requiresGradient()) {
                        out.put(pair.getKey() + " gradient", v.getGradient().toFloatArray());
                    } else {
                        out.put(pair.getKey() + " after the pass", v.toFloatArray());
                    }
                });
            }
            return out;
        }

        float[] inference(float[] images) {
            try (NDManager batch = manager.newSubManager()) {
                return block.forward(store, new NDList(batch.create(images, new Shape(5, 8, 6, 6))), false)
                        .singletonOrThrow().toFloatArray();
            }
        }
    }
}
