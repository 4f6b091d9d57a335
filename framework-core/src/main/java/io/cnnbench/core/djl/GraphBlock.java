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
import java.util.Collections;
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
    /** {@link Evaluation#form} of a fused "expand every path, batch-norm, sum the paths" run. */
    public static final String FUSED_EXPANSION = "fused path expansion";
    /** {@link Evaluation#form} of a dense 1×1 convolution run as a matrix product. */
    public static final String POINTWISE_MATRIX_PRODUCT = "1x1 convolution as matrix product";

    private final Graph graph;
    /** The forward pass, in order: every node not evaluated inside a fused run. */
    private final List<Evaluation> evaluations = new ArrayList<>();
    /** Per node, the last node that reads its output: lets the forward pass drop intermediates early. */
    private final int[] lastUse;
    /** Per node, the fused run it ends, else null. */
    private final PathsExpansion[] fusedAt;

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
        List<List<Parameter>> nodeParams = new ArrayList<>();
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
        boolean[] folded = new boolean[size];
        if (fuse) {
            for (PathsExpansion f : PathsExpansion.find(graph)) {
                fusedAt[f.sum.id()] = f;
                folded[f.conv.id()] = true;
                folded[f.batchNorm.id()] = true;
            }
        }
        for (Node n : graph.nodes().subList(1, size)) {
            PathsExpansion f = fusedAt[n.id()];
            if (folded[n.id()]) {
                continue;
            }
            if (f != null) {
                List<Parameter> run = new ArrayList<>(nodeParams.get(f.conv.id()));
                run.addAll(nodeParams.get(f.batchNorm.id()));
                evaluations.add(new Evaluation(n, f.conv.inputs(), List.copyOf(run), FUSED_EXPANSION));
            } else if (pointwiseAsMatrixProduct && n.op() instanceof Op.Conv2d conv
                    && Conv2dKernel.isDensePointwise(conv)) {
                evaluations.add(new Evaluation(n, n.inputs(), List.copyOf(nodeParams.get(n.id())),
                        POINTWISE_MATRIX_PRODUCT));
            } else {
                evaluations.add(new Evaluation(n, n.inputs(), List.copyOf(nodeParams.get(n.id())),
                        n.op().getClass().getSimpleName()));
            }
        }
        lastUse = new int[size];
        for (Evaluation e : evaluations) {
            for (int in : e.reads()) {
                lastUse[in] = e.node().id();
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

    /**
     * What the forward pass evaluates, in order: every node not folded into a fused run, with the node ids and
     * parameters it reads and the form it is computed in. {@link #evaluate} runs one of them; the forward pass is
     * nothing but these in order (plus freeing each output after its last reader), so a benchmark that times them
     * one by one times what training runs.
     */
    public List<Evaluation> evaluations() {
        return Collections.unmodifiableList(evaluations);
    }

    /**
     * The id of the last node whose evaluation reads node {@code id}'s output, after which the forward pass frees it;
     * {@link Integer#MAX_VALUE} for the graph's output, which is never freed.
     */
    public int lastReader(int id) {
        return lastUse[id];
    }

    /**
     * One evaluation of the forward pass.
     *
     * @param node       the node whose output it produces
     * @param reads      the node ids whose outputs it reads (for a fused run, its first node's inputs)
     * @param parameters the parameters it reads, in declaration order (for a fused run, the whole run's)
     * @param form       how it is computed: {@value #FUSED_EXPANSION}, {@value #POINTWISE_MATRIX_PRODUCT}, or the
     *                   operation's kind (its record name, e.g. {@code Conv2d})
     */
    public record Evaluation(Node node, List<Integer> reads, List<Parameter> parameters, String form) {
    }

    /**
     * Computes one evaluation's output from the arrays it reads ({@code inputs}, in {@link Evaluation#reads}
     * order) and its parameters' values, exactly as the forward pass does. {@code e} must be one of this block's
     * {@link #evaluations()}.
     */
    public NDArray evaluate(Evaluation e, List<NDArray> inputs, List<NDArray> params, boolean training) {
        Op op = e.node().op();
        PathsExpansion fused = fusedAt[e.node().id()];
        if (fused != null) {
            return fused.forward(inputs.get(0), params, training);
        }
        if (e.form().equals(POINTWISE_MATRIX_PRODUCT)) {
            return Conv2dKernel.densePointwiseChannelsLast((Op.Conv2d) op, inputs.get(0), params);
        }
        return Kernels.of(op).forward(op, inputs, params, training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray[] values = new NDArray[graph.nodes().size()];
        values[0] = inputs.singletonOrThrow();
        Device device = values[0].getDevice();
        for (Evaluation e : evaluations) {
            int i = e.node().id();
            List<NDArray> in = new ArrayList<>(e.reads().size());
            for (int id : e.reads()) {
                in.add(values[id]);
            }
            List<NDArray> pv = new ArrayList<>(e.parameters().size());
            for (Parameter p : e.parameters()) {
                pv.add(store.getValue(p, device, training));
            }
            values[i] = runKernel(in, () -> evaluate(e, in, pv, training));
            for (int id : e.reads()) {
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
