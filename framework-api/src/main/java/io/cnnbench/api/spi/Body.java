package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;

/** How blocks are stacked between tail and head. */
public sealed interface Body permits VggBody, StageTable {

    /** Appends the body to {@code x}; the tail has already produced {@code startDims} channels. */
    Tensor build(Graph graph, Tensor x, BlockProvider block, int startDims, Options architectureOptions);

    /** One line for listings, e.g. {@code vgg-like levels 3, repeats [4, 4, 5], downsamples 2}. */
    String describe();
}
