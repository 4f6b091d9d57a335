package io.cnnbench.api.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A network written tensor-in, tensor-out, like the Keras functional API: each method appends one node,
 * infers its output shape and fails at once, naming the operation and the shapes, when they don't fit.
 * The graph is the single description that every back end (DJL, ONNX, counting) reads.
 *
 * <p>Its length is the list of operations: one short method per operation with its shape rule, which an
 * architecture author reads as the vocabulary of the API; splitting it would scatter that vocabulary.
 */
public final class Graph {
    /** Keras' BatchNormalization as the notebook configured it: momentum 0.9, epsilon 0.001. */
    public static final double DEFAULT_BN_MOMENTUM = 0.9;
    public static final double DEFAULT_BN_EPSILON = 1e-3;

    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private final Map<String, Integer> nameCounters = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private double bnMomentum = DEFAULT_BN_MOMENTUM;
    private double bnEpsilon = DEFAULT_BN_EPSILON;
    private Integer outputId;

    public Graph(String name, Dims inputShape) {
        if (inputShape.rank() != 3) {
            throw new GraphException("the network input must be (C, H, W), got " + inputShape);
        }
        this.name = name;
        nodes.add(new Node(0, "input", new Op.Input(inputShape), List.of(), inputShape, List.of()));
    }

    public String name() {
        return name;
    }

    /** Batch-norm settings used where a block does not give its own (an architecture may change them). */
    public Graph batchNormDefaults(double momentum, double epsilon) {
        this.bnMomentum = momentum;
        this.bnEpsilon = epsilon;
        return this;
    }

    public Tensor input() {
        return tensor(0);
    }

    /**
     * Names created inside the scope are prefixed with it ({@code level1/block2/conv}). Use with
     * try-with-resources.
     */
    public Scope scope(String scopeName) {
        scopes.addLast(scopeName);
        return new Scope();
    }

    /** Closes a naming scope. */
    public final class Scope implements AutoCloseable {
        private Scope() {
        }

        @Override
        public void close() {
            scopes.removeLast();
        }
    }

    // ------------------------------------------------------------------ operations

    public Tensor conv2d(Tensor x, ConvSpec c) {
        return conv2d(x, c, "conv");
    }

    public Tensor conv2d(Tensor x, ConvSpec c, String opName) {
        Dims in = requireMap(x, "Conv2D");
        String nodeName = uniqueName(opName);
        if (in.channels() % c.groups != 0 || c.filters % c.groups != 0) {
            throw new GraphException(nodeName + " (Conv2D, groups=" + c.groups + "): input channels "
                    + in.channels() + " and filters " + c.filters + " must both be divisible by the groups;"
                    + " input shape " + in + ", requested output channels " + c.filters);
        }
        int[] padH = pads(in.height(), c.kernelH, c.strideH, c.padding);
        int[] padW = pads(in.width(), c.kernelW, c.strideW, c.padding);
        int outH = (in.height() + padH[0] + padH[1] - c.kernelH) / c.strideH + 1;
        int outW = (in.width() + padW[0] + padW[1] - c.kernelW) / c.strideW + 1;
        if (outH <= 0 || outW <= 0) {
            throw new GraphException(nodeName + " (Conv2D " + c.kernelH + "x" + c.kernelW + ", valid): input "
                    + in + " is smaller than the kernel");
        }
        Op.Conv2d op = new Op.Conv2d(c.filters, c.kernelH, c.kernelW, c.strideH, c.strideW, c.groups, c.bias,
                padH[0], padH[1], padW[0], padW[1]);
        int receptive = c.kernelH * c.kernelW;
        int fanIn = receptive * in.channels() / c.groups;
        int fanOut = receptive * c.filters / c.initPaths;
        List<ParamSpec> params = new ArrayList<>();
        params.add(new ParamSpec(nodeName + "/kernel", ParamSpec.Kind.WEIGHT,
                Dims.of(c.filters, in.channels() / c.groups, c.kernelH, c.kernelW), c.kernelInit, fanIn, fanOut));
        if (c.bias) {
            params.add(new ParamSpec(nodeName + "/bias", ParamSpec.Kind.BIAS, Dims.of(c.filters), Init.ZEROS,
                    fanIn, fanOut));
        }
        return add(nodeName, op, List.of(x), Dims.of(c.filters, outH, outW), params);
    }

    /** Keras/TensorFlow padding: before = total / 2 (rounded down), after = the rest. */
    static int[] pads(int size, int kernel, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return new int[] {0, 0};
        }
        int out = (size + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - size, 0);
        return new int[] {total / 2, total - total / 2};
    }

    public Tensor batchNorm(Tensor x) {
        return batchNorm(x, bnMomentum, bnEpsilon, Init.ONES);
    }

    /**
     * Batch-norm whose scale starts at {@code gammaInit}: {@link Init#ZEROS} on a residual branch's last
     * batch-norm makes the block start as the identity (Goyal et al., arXiv 1706.02677, section 5.1), which keeps
     * the residual stream's variance from growing block by block.
     */
    public Tensor batchNorm(Tensor x, Init gammaInit) {
        return batchNorm(x, bnMomentum, bnEpsilon, gammaInit);
    }

    public Tensor batchNorm(Tensor x, double momentum, double epsilon) {
        return batchNorm(x, momentum, epsilon, Init.ONES);
    }

    private Tensor batchNorm(Tensor x, double momentum, double epsilon, Init gammaInit) {
        String nodeName = uniqueName("bn");
        if (x.shape().rank() != 3 && x.shape().rank() != 1) {
            throw new GraphException(nodeName + " (BatchNormalization): expects (C, H, W) or (F), got " + x.shape());
        }
        if (!(momentum >= 0 && momentum < 1) || !(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new GraphException(nodeName + " (BatchNormalization): momentum must be in [0, 1) and epsilon"
                    + " positive and finite, got momentum " + momentum + ", epsilon " + epsilon);
        }
        Dims c = Dims.of(x.channels());
        int n = x.channels();
        List<ParamSpec> params = List.of(
                new ParamSpec(nodeName + "/gamma", ParamSpec.Kind.GAMMA, c, gammaInit, n, n),
                new ParamSpec(nodeName + "/beta", ParamSpec.Kind.BETA, c, Init.ZEROS, n, n),
                new ParamSpec(nodeName + "/moving_mean", ParamSpec.Kind.RUNNING_MEAN, c, Init.ZEROS, n, n),
                new ParamSpec(nodeName + "/moving_variance", ParamSpec.Kind.RUNNING_VAR, c, Init.ONES, n, n));
        return add(nodeName, new Op.BatchNorm(momentum, epsilon), List.of(x), x.shape(), params);
    }

    public Tensor activation(Tensor x, Op.Activation.Kind kind) {
        String base = kind.name().toLowerCase(Locale.ROOT);
        return add(uniqueName(base), new Op.Activation(kind), List.of(x), x.shape(), List.of());
    }

    public Tensor relu(Tensor x) {
        return activation(x, Op.Activation.Kind.RELU);
    }

    public Tensor relu6(Tensor x) {
        return activation(x, Op.Activation.Kind.RELU6);
    }

    public Tensor hardSigmoid(Tensor x) {
        return activation(x, Op.Activation.Kind.HARD_SIGMOID);
    }

    public Tensor hardSwish(Tensor x) {
        return activation(x, Op.Activation.Kind.HARD_SWISH);
    }

    public Tensor sigmoid(Tensor x) {
        return activation(x, Op.Activation.Kind.SIGMOID);
    }

    /** Element-wise sum; every input must have the same shape. */
    public Tensor add(Tensor first, Tensor... rest) {
        String nodeName = uniqueName("add");
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(first);
        Collections.addAll(inputs, rest);
        if (inputs.size() < 2) {
            throw new GraphException(nodeName + " (Add): needs at least two inputs");
        }
        for (Tensor t : inputs) {
            if (!t.shape().equals(first.shape())) {
                throw new GraphException(nodeName + " (Add): shapes differ: " + first + " vs " + t);
            }
        }
        return add(nodeName, new Op.Add(inputs.size()), inputs, first.shape(), List.of());
    }

    public Tensor sumPaths(Tensor x, int paths) {
        Dims in = requireMap(x, "SumPaths");
        String nodeName = uniqueName("sum_paths");
        if (paths < 1 || in.channels() % paths != 0) {
            throw new GraphException(nodeName + " (SumPaths): channels of " + in + " are not divisible by "
                    + paths + " paths");
        }
        return add(nodeName, new Op.SumPaths(paths), List.of(x),
                Dims.of(in.channels() / paths, in.height(), in.width()), List.of());
    }

    /** Element-wise product; {@code b} may be {@code (C, 1, 1)} against {@code a}'s {@code (C, H, W)}. */
    public Tensor multiply(Tensor a, Tensor b) {
        String nodeName = uniqueName("multiply");
        Dims sa = a.shape();
        Dims sb = b.shape();
        boolean broadcast = sa.rank() == 3 && sb.rank() == 3 && sa.channels() == sb.channels()
                && sb.height() == 1 && sb.width() == 1;
        if (!sa.equals(sb) && !broadcast) {
            throw new GraphException(nodeName + " (Multiply): shapes " + a + " and " + b
                    + " neither match nor broadcast as (C, H, W) × (C, 1, 1)");
        }
        return add(nodeName, new Op.Multiply(), List.of(a, b), sa, List.of());
    }

    public Tensor globalAvgPool(Tensor x, boolean keepDims) {
        Dims in = requireMap(x, "GlobalAveragePooling2D");
        Dims out = keepDims ? Dims.of(in.channels(), 1, 1) : Dims.of(in.channels());
        return add(uniqueName("global_avg_pool"), new Op.GlobalAvgPool(keepDims), List.of(x), out, List.of());
    }

    public Tensor dense(Tensor x, int units, boolean bias) {
        return dense(x, units, bias, Init.GLOROT_UNIFORM, "dense");
    }

    public Tensor dense(Tensor x, int units, boolean bias, Init kernelInit, String opName) {
        String nodeName = uniqueName(opName);
        if (x.shape().rank() != 1) {
            throw new GraphException(nodeName + " (Dense): expects a vector (F,), got " + x.shape()
                    + "; pool or reshape first");
        }
        if (units <= 0) {
            throw new GraphException(nodeName + " (Dense): units must be positive, got " + units);
        }
        int in = x.channels();
        List<ParamSpec> params = new ArrayList<>();
        params.add(new ParamSpec(nodeName + "/kernel", ParamSpec.Kind.WEIGHT, Dims.of(units, in), kernelInit, in,
                units));
        if (bias) {
            params.add(new ParamSpec(nodeName + "/bias", ParamSpec.Kind.BIAS, Dims.of(units), Init.ZEROS, in, units));
        }
        return add(nodeName, new Op.Dense(units, bias), List.of(x), Dims.of(units), params);
    }

    public Tensor dropout(Tensor x, double rate) {
        String nodeName = uniqueName("dropout");
        if (!(rate >= 0 && rate < 1)) {
            throw new GraphException(nodeName + " (Dropout): rate must be in [0, 1), got " + rate);
        }
        return add(nodeName, new Op.Dropout(rate), List.of(x), x.shape(), List.of());
    }

    public Tensor reshape(Tensor x, int... shape) {
        String nodeName = uniqueName("reshape");
        Dims out = Dims.of(shape);
        if (out.size() != x.shape().size()) {
            throw new GraphException(nodeName + " (Reshape): cannot reshape " + x.shape() + " (" + x.shape().size()
                    + " values) to " + out + " (" + out.size() + " values)");
        }
        return add(nodeName, new Op.Reshape(out), List.of(x), out, List.of());
    }

    // ------------------------------------------------------------------ the finished graph

    /** Marks the network's output (the logits). */
    public void setOutput(Tensor output) {
        if (output.graph() != this) {
            throw new GraphException("the output tensor " + output + " belongs to another graph");
        }
        this.outputId = output.nodeId();
    }

    public Node outputNode() {
        if (outputId == null) {
            throw new GraphException("graph " + name + " has no output; call setOutput");
        }
        return nodes.get(outputId);
    }

    public Dims inputShape() {
        return nodes.get(0).outputShape();
    }

    /** Nodes in build order, which is a valid evaluation order. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /**
     * Per node id, how many node inputs read that node's output (a node reading the same value twice counts
     * twice): what a rewrite checks before it folds a node's output into its only reader.
     */
    public int[] readerCounts() {
        int[] readers = new int[nodes.size()];
        for (Node n : nodes) {
            for (int in : n.inputs()) {
                readers[in]++;
            }
        }
        return readers;
    }

    public Node node(int id) {
        return nodes.get(id);
    }

    public List<ParamSpec> parameters() {
        List<ParamSpec> all = new ArrayList<>();
        for (Node n : nodes) {
            all.addAll(n.params());
        }
        return all;
    }

    /** Parameters a trainer updates (batch-norm scale and shift count; running statistics don't). */
    public long trainableParameters() {
        return nodes.stream().mapToLong(Node::trainableParameters).sum();
    }

    public long nonTrainableParameters() {
        return nodes.stream().mapToLong(Node::nonTrainableParameters).sum();
    }

    /** Multiply-accumulates for one example: convolutions and dense layers (the usual convention). */
    public long macs() {
        return nodes.stream().mapToLong(this::macs).sum();
    }

    public long macs(Node n) {
        if (n.op() instanceof Op.Conv2d c) {
            Dims in = nodes.get(n.inputs().get(0)).outputShape();
            Dims out = n.outputShape();
            return (long) out.height() * out.width() * c.filters()
                    * ((long) c.kernelH() * c.kernelW() * in.channels() / c.groups());
        }
        if (n.op() instanceof Op.Dense d) {
            return (long) nodes.get(n.inputs().get(0)).outputShape().channels() * d.units();
        }
        return 0;
    }

    /** A Keras-like per-layer summary. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(118) + "\n";
        sb.append("Model: \"").append(name).append("\"\n").append(rule);
        sb.append(String.format(Locale.ROOT, "%-48s %-28s %10s %12s  %s%n", "Layer (type)", "Output Shape",
                "Param #", "MACs", "Connected to"));
        sb.append(rule.replace('-', '='));
        for (Node n : nodes) {
            StringBuilder from = new StringBuilder();
            for (int id : n.inputs()) {
                from.append(from.length() == 0 ? "" : ", ").append(nodes.get(id).name());
            }
            String layer = n.name() + " (" + n.op().displayName() + ")";
            sb.append(String.format(Locale.ROOT, "%-48s %-28s %,10d %,12d  %s%n", layer,
                    n.outputShape().withBatchToString(), n.trainableParameters() + n.nonTrainableParameters(),
                    macs(n), from));
        }
        sb.append(rule.replace('-', '='));
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n"
                        + "MACs per image: %,d%n", trainableParameters() + nonTrainableParameters(),
                trainableParameters(), nonTrainableParameters(), macs()));
        return sb.append(rule).toString();
    }

    // ------------------------------------------------------------------ internals

    private Dims requireMap(Tensor x, String opName) {
        if (x.graph() != this) {
            throw new GraphException(opName + ": tensor " + x + " belongs to another graph");
        }
        if (x.shape().rank() != 3) {
            throw new GraphException(opName + " at " + scopePrefix() + ": expects a feature map (C, H, W), got "
                    + x.shape());
        }
        return x.shape();
    }

    private String scopePrefix() {
        return scopes.isEmpty() ? "" : String.join("/", scopes) + "/";
    }

    private String uniqueName(String base) {
        String full = scopePrefix() + base;
        int count = nameCounters.merge(full, 1, Integer::sum);
        String name = count == 1 ? full : full + "_" + (count - 1);
        // A generated suffix can meet a name given explicitly (conv2d(x, s, "conv_1") beside two unnamed
        // convolutions): parameters are keyed by name, so two nodes of one name would share, or shadow, weights.
        while (!usedNames.add(name)) {
            count = nameCounters.merge(full, 1, Integer::sum);
            name = full + "_" + (count - 1);
        }
        return name;
    }

    private Tensor add(String nodeName, Op op, List<Tensor> inputs, Dims out, List<ParamSpec> params) {
        List<Integer> ids = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t.graph() != this) {
                throw new GraphException(nodeName + ": input " + t + " belongs to another graph");
            }
            ids.add(t.nodeId());
        }
        Node node = new Node(nodes.size(), nodeName, op, ids, out, params);
        nodes.add(node);
        return tensor(node.id());
    }

    private Tensor tensor(int id) {
        return new Tensor(this, id, nodes.get(id).outputShape());
    }
}
