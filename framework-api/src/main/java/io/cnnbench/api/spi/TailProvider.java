package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;

/** The network's stem: turns the image into the first feature map of {@code dims} channels. */
public interface TailProvider extends Provider {
    Tensor build(Graph graph, Tensor input, int dims, Options options);
}
