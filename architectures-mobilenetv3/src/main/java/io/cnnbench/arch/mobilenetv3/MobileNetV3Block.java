package io.cnnbench.arch.mobilenetv3;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Init;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.OptionSpec;
import java.util.List;

/**
 * The MobileNetV3 bottleneck ("bneck", paper section 5.1 and Fig. 4): a 1×1 expansion convolution, a k×k
 * depthwise convolution carrying the stride, an optional squeeze-and-excite, and a linear 1×1 projection, with
 * the identity added when the block keeps both shape and width. Every convolution is bias-free and batch-normed.
 *
 * <p>Per-block options (a stage-table row sets them): {@code kernel} (3 or 5 in the paper), {@code expandDims}
 * (the paper's "exp size", scaled by {@code alpha}; without it {@code expandRatio} × input channels, default 4),
 * {@code se} (squeeze-and-excite on or off) and {@code activation} ({@code relu} or {@code hswish}).
 */
public final class MobileNetV3Block implements BlockProvider {
    public static final String NAME = "mobilenetv3-block";
    static final List<OptionSpec> OPTIONS = MobileNetV3Settings.with(
            OptionSpec.ofInt("kernel", 3, "depthwise kernel size (a stage-table row sets 3 or 5)"),
            OptionSpec.ofInt("expandDims", null, "expanded width (the paper's exp size), scaled by alpha; when"
                    + " absent, expandRatio x input channels (a stage-table row sets it)"),
            OptionSpec.ofDouble("expandRatio", 4.0, "expansion as a multiple of the input channels when"
                    + " expandDims is absent"),
            OptionSpec.ofBoolean("se", false, "squeeze-and-excite (a stage-table row sets it)"),
            OptionSpec.ofString("activation", Nonlinearity.HARD_SWISH.optionValue, "relu or hswish (the paper's"
                    + " RE or HS; a stage-table row sets it)"));
    /** The paper's squeeze-and-excite bottleneck: a quarter of the expanded width (then rounded to 8). */
    static final int SE_REDUCTION = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MobileNetV3 bneck: 1x1 expand, kxk depthwise (stride), optional hard-sigmoid squeeze-excite,"
                + " linear 1x1 projection, residual when shapes allow";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Tensor build(Graph g, Tensor input, BlockArgs args) {
        Options o = args.options();
        MobileNetV3Settings s = MobileNetV3Settings.of(o);
        int in = input.channels();
        int out = s.scaled(args.outDims());
        // makeDivisible turns any width below 8 into 8, so a width of 0 or less would be built without a word.
        if (o.has("expandDims") ? o.getInt("expandDims", 0) < 1 : !(o.getDouble("expandRatio", 4) > 0)) {
            throw new IllegalArgumentException("options 'expandDims' must be at least 1 and 'expandRatio' positive,"
                    + " got " + (o.has("expandDims") ? "expandDims " + o.getInt("expandDims", 0)
                    : "expandRatio " + o.getDouble("expandRatio", 4)));
        }
        int expanded = o.has("expandDims") ? s.scaled(o.getInt("expandDims", 0))
                : MobileNetV3Settings.makeDivisible(in * o.getDouble("expandRatio", 4));
        int kernel = o.getInt("kernel", 3);
        if (kernel < 1) {
            throw new IllegalArgumentException("option 'kernel' must be at least 1, got " + kernel);
        }
        Nonlinearity nl = Nonlinearity.parse(o.getString("activation", Nonlinearity.HARD_SWISH.optionValue));

        Tensor x = input;
        // Where the expansion would keep the width (the first row of both tables) the paper has no 1x1 layer.
        if (expanded != in) {
            x = nl.apply(g, s.batchNorm(g, g.conv2d(x, pointwise(expanded), "expand_conv")));
        }
        x = g.conv2d(x, ConvSpec.of(expanded, kernel).stride(args.stride()).groups(expanded)
                .kernelInit(Init.HE_NORMAL_FAN_OUT), "depthwise_conv");
        x = nl.apply(g, s.batchNorm(g, x));
        if (o.getBoolean("se", false)) {
            try (Graph.Scope scope = g.scope("se")) {
                x = squeezeExcite(g, x);
            }
        }
        x = s.batchNorm(g, g.conv2d(x, pointwise(out), "project_conv"));
        if (args.stride() == 1 && in == out) {
            x = g.add(input, x);
        }
        return x;
    }

    /**
     * Squeeze-and-excite as the reference implementations build it: global average pooling, a 1×1 convolution
     * with bias down to {@code makeDivisible(expanded / 4)}, ReLU, a 1×1 convolution with bias back up, and the
     * hard-sigmoid gate (section 5.2 replaces the sigmoid) scaling each channel.
     */
    static Tensor squeezeExcite(Graph g, Tensor x) {
        int channels = x.channels();
        int squeezed = MobileNetV3Settings.makeDivisible(channels / SE_REDUCTION);
        Tensor gate = g.globalAvgPool(x, true);
        gate = g.relu(g.conv2d(gate, pointwise(squeezed).bias(true), "reduce_conv"));
        gate = g.hardSigmoid(g.conv2d(gate, pointwise(channels).bias(true), "expand_conv"));
        return g.multiply(x, gate);
    }

    private static ConvSpec pointwise(int filters) {
        return ConvSpec.of(filters, 1).kernelInit(Init.HE_NORMAL_FAN_OUT);
    }
}
