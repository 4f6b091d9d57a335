package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;

/** One repeatable unit of the body (the notebook's {@code block(x, dims, downsample)}). */
public interface BlockProvider extends Provider {
    Tensor build(Graph graph, Tensor input, BlockArgs args);
}
