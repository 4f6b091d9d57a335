package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;

/**
 * The classifier on top of the body. Returns logits: the softmax the notebook put in its head is part of
 * the loss here (numerically the same model, and stabler).
 */
public interface HeadProvider extends Provider {
    Tensor build(Graph graph, Tensor input, int numClasses, Options options);
}
