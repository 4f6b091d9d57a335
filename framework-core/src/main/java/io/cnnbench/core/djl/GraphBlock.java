package io.cnnbench.core.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.Op;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.core.ops.Conv2dKernel;
import io.cnnbench.core.ops.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A framework graph as a DJL block: one DJL parameter per graph parameter, under the graph's name, and a
 * forward pass that evaluates the nodes in order with each operation's kernel, except that node runs which
 * {@link PathsExpansion} fuses are evaluated as one.
 */
public final class GraphBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Graph graph;
    /**
     * Per node, the parameters its evaluation reads, in declaration order: its own, or for the node that ends a
     * fused run those of the whole run (folded nodes are never evaluated on their own).
     */
    private final List<List<Parameter>> nodeParams = new ArrayList<>();
    /** Per node, the node ids its evaluation reads: a fused run reads its first node's inputs. */
    private final List<List<Integer>> nodeReads = new ArrayList<>();
    /** Per node, the last node that reads its output: lets the forward pass drop intermediates early. */
    private final int[] lastUse;
    /** Per node, the fused run it ends, else null. */
    private final PathsExpansion[] fusedAt;
    /** Nodes evaluated inside a fused run, not on their own. */
    private final boolean[] folded;
    /** Whether dense 1×1 convolutions run as matrix products ({@link Conv2dKernel#densePointwiseChannelsLast}). */
    private final boolean pointwiseAsMatrixProduct;

    public GraphBlock(Graph graph, long initSeed) {
        this(graph, initSeed, true);
    }

    /**
     * @param fuse whether to evaluate fusable node runs as one (see {@link PathsExpansion}); the result is the
     *             same within float rounding, and parameters and checkpoints are identical either way
     */
    public GraphBlock(Graph graph, long initSeed, boolean fuse) {
        this(graph, initSeed, fuse, false);
    }

    /**
     * @param pointwiseAsMatrixProduct whether dense 1×1 convolutions run as one matrix product each rather than
     *                                 as oneDNN convolutions; only for channels-last inputs (see
     *                                 {@link Conv2dKernel#densePointwiseChannelsLast}). The result is the same
     *                                 within float rounding, and parameters and checkpoints are identical
     */
    public GraphBlock(Graph graph, long initSeed, boolean fuse, boolean pointwiseAsMatrixProduct) {
        super(VERSION);
        this.graph = graph;
        this.pointwiseAsMatrixProduct = pointwiseAsMatrixProduct;
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
        int size = graph.nodes().size();
        fusedAt = new PathsExpansion[size];
        folded = new boolean[size];
        if (fuse) {
            for (PathsExpansion f : PathsExpansion.find(graph)) {
                fusedAt[f.sum.id()] = f;
                folded[f.conv.id()] = true;
                folded[f.batchNorm.id()] = true;
            }
        }
        for (Node n : graph.nodes()) {
            PathsExpansion f = fusedAt[n.id()];
            if (folded[n.id()]) {
                nodeReads.add(List.of());
            } else if (f != null) {
                nodeReads.add(f.conv.inputs());
                List<Parameter> run = new ArrayList<>(nodeParams.get(f.conv.id()));
                run.addAll(nodeParams.get(f.batchNorm.id()));
                nodeParams.set(n.id(), run);
            } else {
                nodeReads.add(n.inputs());
            }
        }
        lastUse = new int[size];
        for (Node n : graph.nodes()) {
            for (int in : nodeReads.get(n.id())) {
                lastUse[in] = n.id();
            }
        }
        lastUse[graph.outputNode().id()] = Integer.MAX_VALUE;
    }

    public Graph graph() {
        return graph;
    }

    /** How many node runs the forward pass evaluates fused (see {@link PathsExpansion}). */
    public int fusedRuns() {
        return (int) Arrays.stream(fusedAt).filter(Objects::nonNull).count();
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
            if (folded[i]) {
                continue;
            }
            Node n = nodes.get(i);
            PathsExpansion fused = fusedAt[i];
            List<Integer> inputIds = nodeReads.get(i);
            List<NDArray> in = new ArrayList<>(inputIds.size());
            for (int id : inputIds) {
                in.add(values[id]);
            }
            List<Parameter> ps = nodeParams.get(i);
            List<NDArray> pv = new ArrayList<>(ps.size());
            for (Parameter p : ps) {
                pv.add(store.getValue(p, device, training));
            }
            if (fused != null) {
                values[i] = runKernel(in, () -> fused.forward(in.get(0), pv, training));
            } else if (pointwiseAsMatrixProduct && n.op() instanceof Op.Conv2d conv
                    && Conv2dKernel.isDensePointwise(conv)) {
                values[i] = runKernel(in, () -> Conv2dKernel.densePointwiseChannelsLast(conv, in.get(0), pv));
            } else {
                values[i] = runKernel(in, () -> Kernels.of(n.op()).forward(n.op(), in, pv, training));
            }
            for (int id : inputIds) {
                if (lastUse[id] == i && id != 0) {
                    release(values, id, i);
                }
            }
        }
        return new NDList(values[graph.outputNode().id()]);
    }

    /**
     * Runs one node's kernel in its own scope, so the kernel's temporaries (views, padded copies) are freed
     * as soon as it returns; only its output is handed on to the caller's scope.
     */
    private static NDArray runKernel(List<NDArray> in, Supplier<NDArray> kernel) {
        NDArray out;
        try (NDScope kernelScope = new NDScope()) {
            out = kernel.get();
            NDScope.unregister(out);
        }
        if (in.stream().noneMatch(x -> x == out)) {
            NDScope.register(out);
        }
        return out;
    }

    /**
     * Frees node {@code id}'s output after its last reader, {@code reader}, as eager PyTorch does when the last
     * reference goes: without this every activation of the pass stays resident until the batch ends (gigabytes
     * at batch 256). Autograd holds its own references to what backward needs, so training is unaffected. The
     * same array may fill several slots (a kernel may return its input), so it is only closed when no other
     * live slot holds it.
     */
    private static void release(NDArray[] values, int id, int reader) {
        NDArray value = values[id];
        values[id] = null;
        if (value == null) {
            return; // the node read this input twice
        }
        for (int j = 0; j <= reader; j++) {
            if (values[j] == value) {
                return;
            }
        }
        value.close();
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
