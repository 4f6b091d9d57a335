package io.cnnbench.api.common;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.HeadProvider;
import io.cnnbench.api.spi.Options;

/**
 * The notebook's {@code generic_head}: global average pooling and a dense classifier. The notebook's softmax
 * is applied by the loss (the head returns logits).
 */
public final class GenericHead implements HeadProvider {
    public static final String NAME = "generic-head";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "global average pooling + dense classifier (the notebook's generic_head)";
    }

    @Override
    public Tensor build(Graph g, Tensor input, int numClasses, Options options) {
        return g.dense(g.globalAvgPool(input, false), numClasses, true);
    }
}
