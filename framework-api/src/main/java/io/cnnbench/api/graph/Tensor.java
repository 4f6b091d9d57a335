package io.cnnbench.api.graph;

/**
 * A symbolic tensor: the output of one node of a graph, with its per-example shape. Like a Keras
 * functional-API tensor, it is passed to the graph's operations to build the next node.
 */
public final class Tensor {
    private final Graph graph;
    private final int nodeId;
    private final Dims shape;

    Tensor(Graph graph, int nodeId, Dims shape) {
        this.graph = graph;
        this.nodeId = nodeId;
        this.shape = shape;
    }

    public Graph graph() {
        return graph;
    }

    public int nodeId() {
        return nodeId;
    }

    public Dims shape() {
        return shape;
    }

    /** Channels of a feature map (or features of a vector). */
    public int channels() {
        return shape.channels();
    }

    @Override
    public String toString() {
        return graph.node(nodeId).name() + shape;
    }
}
