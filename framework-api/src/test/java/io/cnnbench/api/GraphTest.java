package io.cnnbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.GraphException;
import io.cnnbench.api.graph.Op;
import io.cnnbench.api.graph.Padding;
import io.cnnbench.api.graph.Tensor;
import org.junit.jupiter.api.Test;

class GraphTest {

    @Test
    void sameStride2OnEvenInputPadsOnlyAfterLikeKeras() {
        Graph g = new Graph("t", Dims.of(3, 28, 28));
        Tensor y = g.conv2d(g.input(), ConvSpec.of(8, 3).stride(2));
        Op.Conv2d c = (Op.Conv2d) g.node(y.nodeId()).op();
        assertEquals(Dims.of(8, 14, 14), y.shape());
        assertEquals(0, c.padTop());
        assertEquals(1, c.padBottom());
        assertEquals(0, c.padLeft());
        assertEquals(1, c.padRight());
    }

    @Test
    void sameStride1AndOddSizesPadSymmetrically() {
        Graph g = new Graph("t", Dims.of(3, 7, 7));
        Tensor y = g.conv2d(g.input(), ConvSpec.of(4, 3));
        Op.Conv2d c = (Op.Conv2d) g.node(y.nodeId()).op();
        assertEquals(Dims.of(4, 7, 7), y.shape());
        assertTrue(c.symmetricPadding());
        Tensor z = g.conv2d(g.input(), ConvSpec.of(4, 3).stride(2));
        assertEquals(Dims.of(4, 4, 4), z.shape());
        Tensor v = g.conv2d(g.input(), ConvSpec.of(4, 3).padding(Padding.VALID));
        assertEquals(Dims.of(4, 5, 5), v.shape());
    }

    @Test
    void mismatchedAddNamesOperationAndBothShapes() {
        Graph g = new Graph("t", Dims.of(3, 8, 8));
        Tensor a = g.conv2d(g.input(), ConvSpec.of(4, 1));
        Tensor b;
        try (Graph.Scope s = g.scope("blockA")) {
            b = g.conv2d(g.input(), ConvSpec.of(6, 1));
        }
        GraphException e = assertThrows(GraphException.class, () -> g.add(a, b));
        assertTrue(e.getMessage().contains("Add"), e.getMessage());
        assertTrue(e.getMessage().contains("(4, 8, 8)") && e.getMessage().contains("(6, 8, 8)"), e.getMessage());
        assertTrue(e.getMessage().contains("blockA/conv"), e.getMessage());
    }

    @Test
    void groupsMustDivideChannels() {
        Graph g = new Graph("t", Dims.of(6, 8, 8));
        GraphException e = assertThrows(GraphException.class,
                () -> g.conv2d(g.input(), ConvSpec.of(8, 3).groups(4)));
        assertTrue(e.getMessage().contains("groups=4") && e.getMessage().contains("(6, 8, 8)"), e.getMessage());
    }

    @Test
    void denseNeedsAVectorAndSaysWhatToDo() {
        Graph g = new Graph("t", Dims.of(3, 8, 8));
        GraphException e = assertThrows(GraphException.class, () -> g.dense(g.input(), 10, true));
        assertTrue(e.getMessage().contains("pool or reshape"), e.getMessage());
    }

    @Test
    void countsParametersAndMacs() {
        Graph g = new Graph("t", Dims.of(3, 8, 8));
        Tensor x = g.conv2d(g.input(), ConvSpec.of(16, 3).bias(true)); // 3*3*3*16 + 16 = 448
        x = g.batchNorm(x); // 32 trainable, 32 running
        x = g.conv2d(x, ConvSpec.of(16, 3).groups(4).stride(2)); // 3*3*4*16 = 576
        x = g.sumPaths(x, 4); // (4, 4, 4)
        x = g.globalAvgPool(x, false);
        x = g.dense(x, 10, true); // 50
        g.setOutput(x);
        assertEquals(448 + 32 + 576 + 50, g.trainableParameters());
        assertEquals(32, g.nonTrainableParameters());
        long macs = 8L * 8 * 16 * 27 + 4L * 4 * 16 * 36 + 4L * 10;
        assertEquals(macs, g.macs());
        String summary = g.summary();
        assertTrue(summary.contains("Trainable params: 1,106"), summary);
        assertTrue(summary.contains("SumPaths(4)"), summary);
    }

    @Test
    void namesAreUniqueAndScoped() {
        Graph g = new Graph("t", Dims.of(3, 8, 8));
        Tensor a;
        Tensor b;
        try (Graph.Scope s = g.scope("level0/block1")) {
            a = g.relu(g.input());
            b = g.relu(a);
        }
        assertEquals("level0/block1/relu", g.node(a.nodeId()).name());
        assertEquals("level0/block1/relu_1", g.node(b.nodeId()).name());
    }

    @Test
    void aGeneratedNameNeverMeetsAGivenOneSoNoTwoNodesShareWeights() {
        Graph g = new Graph("t", Dims.of(3, 8, 8));
        Tensor given = g.conv2d(g.input(), ConvSpec.of(4, 1), "conv_1");
        Tensor first = g.conv2d(given, ConvSpec.of(4, 1));
        Tensor second = g.conv2d(first, ConvSpec.of(4, 1));
        Tensor givenAgain = g.conv2d(second, ConvSpec.of(4, 1), "conv_1");
        assertEquals("conv_1", g.node(given.nodeId()).name());
        assertEquals("conv", g.node(first.nodeId()).name());
        assertEquals("conv_2", g.node(second.nodeId()).name());
        assertEquals("conv_1_1", g.node(givenAgain.nodeId()).name());
        java.util.Set<String> names = new java.util.HashSet<>();
        g.parameters().forEach(p -> assertTrue(names.add(p.name()), "two parameters named " + p.name()));
    }

    @Test
    void squeezeExciteBroadcastMultiplyIsAllowedOtherShapesAreNot() {
        Graph g = new Graph("t", Dims.of(8, 4, 4));
        Tensor s = g.globalAvgPool(g.input(), true);
        assertEquals(Dims.of(8, 4, 4), g.multiply(g.input(), s).shape());
        Tensor wrong = g.conv2d(s, ConvSpec.of(4, 1));
        assertThrows(GraphException.class, () -> g.multiply(g.input(), wrong));
    }

    @Test
    void convolutionCopiesChangeOnlyTheFieldTheyName() {
        Op.Conv2d c = new Op.Conv2d(16, 3, 5, 1, 2, 4, false, 1, 2, 3, 4);
        assertEquals(new Op.Conv2d(16, 3, 5, 1, 2, 2, false, 1, 2, 3, 4), c.withGroups(2));
        assertEquals(new Op.Conv2d(16, 3, 5, 1, 2, 4, true, 1, 2, 3, 4), c.withBias(true));
        assertEquals(c, c.withBias(true).withBias(false));
    }
}
