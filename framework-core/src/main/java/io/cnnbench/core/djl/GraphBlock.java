package io.cnnbench.core.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.core.ops.Kernels;
import java.util.ArrayList;
import java.util.List;

/**
 * A framework graph as a DJL block: one DJL parameter per graph parameter, under the graph's name, and a
 * forward pass that evaluates the nodes in order with each operation's kernel.
 */
public final class GraphBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Graph graph;
    /** Per node, its parameters in declaration order (empty for parameter-free nodes). */
    private final List<List<Parameter>> nodeParams = new ArrayList<>();
    /** How many nodes still read each node's output: lets the forward pass drop intermediates early. */
    private final int[] lastUse;

    public GraphBlock(Graph graph, long initSeed) {
        super(VERSION);
        this.graph = graph;
        for (Node n : graph.nodes()) {
            List<Parameter> ps = new ArrayList<>();
            for (ParamSpec spec : n.params()) {
                ps.add(addParameter(Parameter.builder()
                        .setName(spec.name())
                        .setType(type(spec.kind()))
                        .optShape(new Shape(toLong(spec.shape().toArray())))
                        .optInitializer(new SeededInitializer(spec, initSeed))
                        .optRequiresGrad(spec.trainable())
                        .build()));
            }
            nodeParams.add(ps);
        }
        lastUse = new int[graph.nodes().size()];
        for (Node n : graph.nodes()) {
            for (int in : n.inputs()) {
                lastUse[in] = n.id();
            }
        }
        lastUse[graph.outputNode().id()] = Integer.MAX_VALUE;
    }

    public Graph graph() {
        return graph;
    }

    /** The DJL parameter holding a graph parameter, by its graph name. */
    public Parameter parameter(String name) {
        Parameter p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named " + name + " in " + graph.name());
        }
        return p;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        List<Node> nodes = graph.nodes();
        NDArray[] values = new NDArray[nodes.size()];
        values[0] = inputs.singletonOrThrow();
        Device device = values[0].getDevice();
        for (int i = 1; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            List<NDArray> in = new ArrayList<>(n.inputs().size());
            for (int id : n.inputs()) {
                in.add(values[id]);
            }
            List<Parameter> ps = nodeParams.get(i);
            List<NDArray> pv = new ArrayList<>(ps.size());
            for (Parameter p : ps) {
                pv.add(store.getValue(p, device, training));
            }
            values[i] = Kernels.of(n.op()).forward(n.op(), in, pv, training);
            for (int id : n.inputs()) {
                // Forget what no later node reads, so the Java side does not pin it; in training autograd
                // keeps what backward needs regardless.
                if (lastUse[id] == i && id != 0) {
                    values[id] = null;
                }
            }
        }
        return new NDList(values[graph.outputNode().id()]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(graph.outputNode().outputShape().withBatch(batch))};
    }

    private static Parameter.Type type(ParamSpec.Kind kind) {
        switch (kind) {
            case WEIGHT:
                return Parameter.Type.WEIGHT;
            case BIAS:
                return Parameter.Type.BIAS;
            case GAMMA:
                return Parameter.Type.GAMMA;
            case BETA:
                return Parameter.Type.BETA;
            case RUNNING_MEAN:
                return Parameter.Type.RUNNING_MEAN;
            case RUNNING_VAR:
                return Parameter.Type.RUNNING_VAR;
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }
}
