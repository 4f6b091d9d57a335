package io.cnnbench.api.common;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.TailProvider;

/** The notebook's {@code generic_tail}: one 3×3 convolution with bias and ReLU. */
public final class GenericTail implements TailProvider {
    public static final String NAME = "generic-tail";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "3x3 conv with bias + ReLU (the notebook's generic_tail)";
    }

    @Override
    public Tensor build(Graph g, Tensor input, int dims, Options options) {
        return g.relu(g.conv2d(input, ConvSpec.of(dims, 3).bias(true)));
    }
}
