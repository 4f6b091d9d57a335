package io.cnnbench.api.graph;

import java.util.List;

/**
 * One operation applied in a graph.
 *
 * @param id     position in build order, which is a topological order
 * @param name   unique, structure-derived name (e.g. {@code level1/block2/path_conv_a}); parameter names extend it
 * @param inputs ids of the nodes feeding this one
 */
public record Node(int id, String name, Op op, List<Integer> inputs, Dims outputShape, List<ParamSpec> params) {

    public Node {
        inputs = List.copyOf(inputs);
        params = List.copyOf(params);
    }

    public long trainableParameters() {
        return params.stream().filter(ParamSpec::trainable).mapToLong(ParamSpec::size).sum();
    }

    public long nonTrainableParameters() {
        return params.stream().filter(p -> !p.trainable()).mapToLong(ParamSpec::size).sum();
    }
}
