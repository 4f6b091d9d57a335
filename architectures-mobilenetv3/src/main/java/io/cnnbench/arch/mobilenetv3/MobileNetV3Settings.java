package io.cnnbench.arch.mobilenetv3;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.OptionSpec;
import io.cnnbench.api.spi.Options;
import java.util.List;

/**
 * The settings every MobileNetV3 part reads from the architecture's options: the width multiplier and the
 * batch-norm constants.
 *
 * @param alpha      the width multiplier ({@code alpha}); every width is scaled by it and rounded to a multiple
 *                   of 8, as torchvision and Keras do
 * @param bnMomentum batch-norm momentum in Keras' meaning ({@code bnMomentum}: running = m·running + (1−m)·batch)
 * @param bnEpsilon  batch-norm epsilon ({@code bnEpsilon})
 */
record MobileNetV3Settings(double alpha, double bnMomentum, double bnEpsilon) {
    static final int WIDTH_DIVISOR = 8;

    /** The options {@link #of} reads, declared by the stem, the block and the head. */
    static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.ofDouble("alpha", 1.0, "width multiplier; every width is scaled by it and rounded to a"
                    + " multiple of 8"),
            OptionSpec.ofDouble("bnMomentum", Graph.DEFAULT_BN_MOMENTUM, "batch-norm momentum, Keras' meaning"
                    + " (running = m*running + (1-m)*batch)"),
            OptionSpec.ofDouble("bnEpsilon", Graph.DEFAULT_BN_EPSILON, "batch-norm epsilon"));

    /** {@link #OPTIONS} followed by a part's own. */
    static List<OptionSpec> with(OptionSpec... own) {
        List<OptionSpec> all = new java.util.ArrayList<>(OPTIONS);
        all.addAll(List.of(own));
        return List.copyOf(all);
    }

    static MobileNetV3Settings of(Options options) {
        double alpha = options.getDouble("alpha", 1.0);
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("option 'alpha' (the width multiplier) must be a positive number, got "
                    + alpha);
        }
        return new MobileNetV3Settings(alpha, options.getDouble("bnMomentum", Graph.DEFAULT_BN_MOMENTUM),
                options.getDouble("bnEpsilon", Graph.DEFAULT_BN_EPSILON));
    }

    /** A paper width under the width multiplier: {@code makeDivisible(channels × alpha)}. */
    int scaled(int channels) {
        return makeDivisible(channels * alpha);
    }

    Tensor batchNorm(Graph g, Tensor x) {
        return g.batchNorm(x, bnMomentum, bnEpsilon);
    }

    /**
     * The rounding of torchvision's {@code _make_divisible} (from the TensorFlow reference): the nearest
     * multiple of 8, at least 8, and never more than 10% below {@code value}.
     */
    static int makeDivisible(double value) {
        int rounded = Math.max(WIDTH_DIVISOR, (int) (value + WIDTH_DIVISOR / 2.0) / WIDTH_DIVISOR * WIDTH_DIVISOR);
        if (rounded < 0.9 * value) {
            rounded += WIDTH_DIVISOR;
        }
        return rounded;
    }
}
