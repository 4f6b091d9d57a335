package io.cnnbench.core.djl;

import static io.cnnbench.testing.Fixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forward pass's evaluation plan ({@link GraphBlock#evaluations()}), which benchmarks time one by one: it must
 * list what the forward pass computes, in the form it computes it, and evaluating it step by step must give the
 * forward pass's output.
 */
class GraphBlockTest {
    private static final int PATHS = 4;

    /** stem 3×3 → dense 1×1 → ReLU → grouped 1×1 expansion to 4 paths × 6 → batch-norm → sum of paths → ReLU. */
    private static Graph graph() {
        Graph g = new Graph("plan", Dims.of(3, 6, 6));
        Tensor x = g.conv2d(g.input(), ConvSpec.of(8, 3));
        x = g.relu(g.conv2d(x, ConvSpec.of(12, 1)));
        x = g.conv2d(x, ConvSpec.of(PATHS * 6, 1).groups(PATHS));
        g.setOutput(g.relu(g.sumPaths(g.batchNorm(x), PATHS)));
        return g;
    }

    @Test
    void thePlanNamesEachEvaluationsFormAndWhatItReads() {
        Graph g = graph();
        GraphBlock routed = new GraphBlock(g, 7, true, true);
        List<String> forms = routed.evaluations().stream().map(GraphBlock.Evaluation::form).toList();
        assertEquals(List.of("Conv2d", GraphBlock.POINTWISE_MATRIX_PRODUCT, "Activation",
                GraphBlock.FUSED_EXPANSION, "Activation"), forms);
        GraphBlock.Evaluation fused = routed.evaluations().get(3);
        assertEquals("SumPaths", fused.node().op().getClass().getSimpleName());
        // The fused run reads the expansion's input (the ReLU) and the expansion's and batch-norm's parameters.
        assertEquals(List.of(routed.evaluations().get(2).node().id()), fused.reads());
        assertEquals(5, fused.parameters().size());

        GraphBlock plain = new GraphBlock(g, 7, false, false);
        assertEquals(g.nodes().size() - 1, plain.evaluations().size());
        assertEquals(List.of("Conv2d", "Conv2d", "Activation", "Conv2d", "BatchNorm", "SumPaths", "Activation"),
                plain.evaluations().stream().map(GraphBlock.Evaluation::form).toList());
    }

    @Test
    void evaluatingThePlanStepByStepGivesTheForwardPass() {
        Engines.pytorch();
        for (boolean route : new boolean[] {false, true}) {
            for (boolean training : new boolean[] {false, true}) {
                assertPlanGivesTheForwardPass(route, training);
            }
        }
    }

    /** In training, batch-norm and the fused expansion normalise with the batch's statistics, not the running ones. */
    private static void assertPlanGivesTheForwardPass(boolean route, boolean training) {
        Graph g = graph();
        try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
            GraphBlock block = new GraphBlock(g, 7, true, route);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 6, 6));
            NDArray images = ImageLayout.CHANNELS_LAST.apply(
                    m.create(gaussian(5 * 3 * 6 * 6, 3), new Shape(5, 3, 6, 6)));
            float[] forward = block.forward(new ParameterStore(m, false), new NDList(images), training)
                    .singletonOrThrow().toFloatArray();

            NDArray[] values = new NDArray[g.nodes().size()];
            values[0] = images;
            GraphBlock.Evaluation last = null;
            for (GraphBlock.Evaluation e : block.evaluations()) {
                List<NDArray> in = new ArrayList<>();
                e.reads().forEach(id -> in.add(values[id]));
                List<NDArray> params = new ArrayList<>();
                for (Parameter p : e.parameters()) {
                    params.add(p.getArray());
                }
                values[e.node().id()] = block.evaluate(e, in, params, training);
                last = e;
            }
            assertEquals(g.outputNode(), last.node());
            assertArrayEquals(forward, values[last.node().id()].toFloatArray(),
                    "route=" + route + ", training=" + training);
        }
    }
}
