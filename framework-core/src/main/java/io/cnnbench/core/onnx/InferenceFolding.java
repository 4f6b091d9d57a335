package io.cnnbench.core.onnx;

import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Init;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.Op;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.core.djl.PathsExpansion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The inference form's rewrites ({@link OnnxForm#INFERENCE}), applied to the graph's nodes before they are
 * written, so each rewritten run is still written by its kernel's ONNX form:
 * <ul>
 *   <li>a batch-norm whose input is a convolution (or dense layer) read by nothing else becomes that layer
 *       with folded weights: per output channel k, {@code s = γ_k / sqrt(var_k + ε)}, {@code W'_k = s·W_k},
 *       {@code b'_k = s·(b_k − mean_k) + β_k} (a layer without a bias gets one);</li>
 *   <li>a ResNeXt path expansion ({@link PathsExpansion#find}: grouped 1×1 convolution to {@code P·C}
 *       channels, batch-norm, sum over the P paths) becomes one dense 1×1 convolution {@code P·d → C}. Path p
 *       owns expansion channels {@code [p·C, (p+1)·C)} (SumPaths' layout) and reads input channels
 *       {@code [p·d, (p+1)·d)} (the grouped convolution's), so output c's weight on input {@code p·d + i} is
 *       path p's folded weight {@code s_{pC+c}·W[pC+c, i]}, and its bias is {@code Σ_p (β − s·mean)_{pC+c}}.
 *       This is {@code PathsExpansion}'s inference arithmetic, done once at export.</li>
 *   <li>a grouped convolution whose groups are narrower than the channel block ({@link OnnxChannelBlock}: 8 or
 *       16 channels, in or out) gets fewer, wider groups: {@code m} neighbouring groups become one whose kernel
 *       is block-diagonal, each original group's weights on its own input channels and zeros elsewhere. The
 *       output is the same sums plus exact zeros. ONNX Runtime's x86 NCHWc convolution kernels take only groups
 *       of whole channel blocks and otherwise fall back to im2col and a small matrix product per group, which ran
 *       {@code resnext-seed}'s 4-channel groups at an eighth of the blocked kernels' rate; {@code m} is at most
 *       {@link #MAX_WIDENING}, so the arithmetic of those layers at most quadruples. Depthwise convolutions have
 *       their own blocked kernel and are left alone.</li>
 * </ul>
 * The folding is computed in double precision and rounded to float once. The batch-norm's epsilon is taken
 * as the float the engine and the {@code BatchNormalization} node use.
 */
final class InferenceFolding {
    /**
     * The most groups merged into one. Measured on {@code resnext-seed}'s 4-channel groups: 2 merged (8-channel
     * blocks, AVX2) made the whole file 1.3-1.4x faster in ONNX Runtime, 4 merged (16-channel blocks, AVX-512)
     * 2.5x faster, at twice and four times those layers' multiply-adds.
     */
    static final int MAX_WIDENING = 4;

    private final Map<Integer, Node> replacements = new HashMap<>();
    private final Set<Integer> absorbed = new HashSet<>();
    private final Map<String, float[]> values = new HashMap<>();

    /** Channels per block of ONNX Runtime's NCHWc kernels on the CPU the file is for ({@link OnnxChannelBlock}). */
    private final int channelBlock;

    private InferenceFolding(int channelBlock) {
        this.channelBlock = channelBlock;
    }

    /** No rewrites: the training form. */
    static InferenceFolding none() {
        return new InferenceFolding(1);
    }

    /**
     * Every rewrite that applies to {@code graph}, with the folded values computed from {@code parameterValues}, and
     * narrow groups widened to whole blocks of {@code channelBlock} channels.
     */
    static InferenceFolding of(Graph graph, Function<String, float[]> parameterValues, int channelBlock) {
        InferenceFolding f = new InferenceFolding(channelBlock);
        for (PathsExpansion run : PathsExpansion.find(graph)) {
            f.fusePaths(run, parameterValues);
        }
        List<Node> nodes = graph.nodes();
        int[] readers = graph.readerCounts();
        int output = graph.outputNode().id();
        for (Node bn : nodes) {
            if (!(bn.op() instanceof Op.BatchNorm) || bn.inputs().size() != 1 || f.absorbed.contains(bn.id())) {
                continue;
            }
            Node layer = nodes.get(bn.inputs().get(0));
            boolean foldable = layer.op() instanceof Op.Conv2d || layer.op() instanceof Op.Dense;
            if (foldable && readers[layer.id()] == 1 && layer.id() != output && !f.absorbed.contains(layer.id())) {
                f.foldBatchNorm(layer, bn, parameterValues);
            }
        }
        for (Node n : nodes) {
            if (!f.absorbed.contains(n.id())) {
                f.widenGroups(n, parameterValues);
            }
        }
        return f;
    }

    /**
     * How many neighbouring groups to merge so that a group has whole blocks of {@code channelBlock} input and
     * output channels, or 1 for none (already whole blocks, or more than {@link #MAX_WIDENING} would be needed).
     */
    static int widening(int groups, int inPerGroup, int outPerGroup, int channelBlock) {
        for (int m = 1; m <= MAX_WIDENING; m++) {
            if (groups % m == 0 && m * inPerGroup % channelBlock == 0 && m * outPerGroup % channelBlock == 0) {
                return m;
            }
        }
        return 1;
    }

    /** The node to write in place of {@code n}: its rewrite, or {@code n} itself. */
    Node written(Node n) {
        return replacements.getOrDefault(n.id(), n);
    }

    /** Whether {@code n} is part of a rewrite written at a later node, so nothing is written for it. */
    boolean absorbed(Node n) {
        return absorbed.contains(n.id());
    }

    /** The values of a folded parameter, or {@code null} for a graph parameter. */
    float[] foldedValues(String parameterName) {
        return values.get(parameterName);
    }

    /** How many rewrites there are (tests). */
    int rewrites() {
        return replacements.size();
    }

    private void foldBatchNorm(Node layer, Node bn, Function<String, float[]> parameterValues) {
        BatchNormScale s = BatchNormScale.of(bn, parameterValues);
        ParamSpec kernelSpec = layer.params().get(0);
        float[] kernel = parameterValues.apply(kernelSpec.name());
        float[] bias = layer.params().size() > 1 ? parameterValues.apply(layer.params().get(1).name()) : null;
        int out = s.scale.length;
        if (kernel.length % out != 0 || (bias != null && bias.length != out)) {
            throw new IllegalStateException(bn.name() + " normalises " + out + " channels, but " + layer.name()
                    + " has a " + kernelSpec.shape() + " kernel");
        }
        int perOutput = kernel.length / out;
        float[] foldedKernel = new float[kernel.length];
        float[] foldedBias = new float[out];
        for (int k = 0; k < out; k++) {
            for (int j = 0; j < perOutput; j++) {
                foldedKernel[k * perOutput + j] = (float) (kernel[k * perOutput + j] * s.scale[k]);
            }
            foldedBias[k] = (float) ((bias == null ? 0 : bias[k]) * s.scale[k] + s.shift[k]);
        }
        Op op = layer.op() instanceof Op.Conv2d c
                ? c.withBias(true)
                : new Op.Dense(((Op.Dense) layer.op()).units(), true);
        replace(layer, bn, op, "folded", kernelSpec.shape(), foldedKernel, foldedBias);
    }

    private void fusePaths(PathsExpansion run, Function<String, float[]> parameterValues) {
        Node conv = run.conv();
        BatchNormScale s = BatchNormScale.of(run.batchNorm(), parameterValues);
        Op.Conv2d c = (Op.Conv2d) conv.op();
        int paths = c.groups();
        int perPath = c.filters() / paths;
        int inPerPath = conv.params().get(0).shape().get(1);
        float[] kernel = parameterValues.apply(conv.params().get(0).name());
        int in = paths * inPerPath;
        float[] fusedKernel = new float[perPath * in];
        float[] fusedBias = new float[perPath];
        for (int o = 0; o < perPath; o++) {
            double bias = 0;
            for (int p = 0; p < paths; p++) {
                int channel = p * perPath + o;
                for (int i = 0; i < inPerPath; i++) {
                    fusedKernel[o * in + p * inPerPath + i] =
                            (float) (kernel[channel * inPerPath + i] * s.scale[channel]);
                }
                bias += s.shift[channel];
            }
            fusedBias[o] = (float) bias;
        }
        replace(conv, run.sum(), new Op.Conv2d(perPath, 1, 1, 1, 1, 1, true, 0, 0, 0, 0), "fused",
                Dims.of(perPath, in, 1, 1), fusedKernel, fusedBias);
        absorbed.add(run.batchNorm().id());
    }

    /** Widens the groups of the convolution written for {@code n} (folded or not), if {@link #widening} says so. */
    private void widenGroups(Node n, Function<String, float[]> parameterValues) {
        Node conv = written(n);
        if (!(conv.op() instanceof Op.Conv2d c) || c.groups() == 1) {
            return;
        }
        ParamSpec k = conv.params().get(0);
        int in = k.shape().get(1);
        int out = c.filters() / c.groups();
        boolean depthwise = in == 1 && out == 1;
        int m = depthwise ? 1 : widening(c.groups(), in, out, channelBlock);
        if (m == 1) {
            return;
        }
        boolean folded = values.containsKey(k.name());
        float[] kernel = folded ? values.remove(k.name()) : parameterValues.apply(k.name());
        int taps = c.kernelH() * c.kernelW();
        float[] wide = new float[c.filters() * m * in * taps];
        for (int o = 0; o < c.filters(); o++) {
            int offset = (o / out % m) * in * taps; // where this output's group sits inside its merged group
            System.arraycopy(kernel, o * in * taps, wide, (o * m * in) * taps + offset, in * taps);
        }
        ParamSpec wideSpec = new ParamSpec(conv.name() + (folded ? "/folded_widened_kernel" : "/widened_kernel"),
                ParamSpec.Kind.WEIGHT, Dims.of(c.filters(), m * in, c.kernelH(), c.kernelW()), k.init(), k.fanIn(),
                k.fanOut());
        values.put(wideSpec.name(), wide);
        List<ParamSpec> params = new ArrayList<>(conv.params());
        params.set(0, wideSpec);
        Op.Conv2d op = c.withGroups(c.groups() / m);
        replacements.put(n.id(), new Node(conv.id(), conv.name(), op, conv.inputs(), conv.outputShape(), params));
    }

    /**
     * Writes {@code layer}'s rewrite at {@code last} (whose value it produces), under {@code layer}'s name, with
     * the new parameters {@code <layer>/<how>_kernel} and {@code <layer>/<how>_bias}.
     */
    private void replace(Node layer, Node last, Op op, String how, Dims kernelShape, float[] kernel, float[] bias) {
        ParamSpec k = layer.params().get(0);
        ParamSpec kernelSpec = new ParamSpec(layer.name() + "/" + how + "_kernel", ParamSpec.Kind.WEIGHT, kernelShape,
                k.init(), k.fanIn(), k.fanOut());
        ParamSpec biasSpec = new ParamSpec(layer.name() + "/" + how + "_bias", ParamSpec.Kind.BIAS,
                Dims.of(bias.length), Init.ZEROS,
                k.fanIn(), k.fanOut());
        values.put(kernelSpec.name(), kernel);
        values.put(biasSpec.name(), bias);
        replacements.put(last.id(), new Node(last.id(), layer.name(), op, layer.inputs(), last.outputShape(),
                List.of(kernelSpec, biasSpec)));
        absorbed.add(layer.id());
    }

    /** A batch-norm at inference as a per-channel affine map {@code y = scale·x + shift}, in double precision. */
    private record BatchNormScale(double[] scale, double[] shift) {
        static BatchNormScale of(Node bn, Function<String, float[]> parameterValues) {
            float[] gamma = parameterValues.apply(bn.params().get(0).name());
            float[] beta = parameterValues.apply(bn.params().get(1).name());
            float[] mean = parameterValues.apply(bn.params().get(2).name());
            float[] variance = parameterValues.apply(bn.params().get(3).name());
            double epsilon = (float) ((Op.BatchNorm) bn.op()).epsilon();
            double[] scale = new double[gamma.length];
            double[] shift = new double[gamma.length];
            for (int k = 0; k < gamma.length; k++) {
                scale[k] = gamma[k] / Math.sqrt((double) variance[k] + epsilon);
                shift[k] = beta[k] - mean[k] * scale[k];
            }
            return new BatchNormScale(scale, shift);
        }
    }
}
