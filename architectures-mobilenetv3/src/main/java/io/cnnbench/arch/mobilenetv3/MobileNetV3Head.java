package io.cnnbench.arch.mobilenetv3;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Init;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.HeadProvider;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.OptionSpec;
import java.util.List;

/**
 * The paper's efficient last stage (section 5.1, Fig. 5): a 1×1 convolution to {@code headExpansion} (6) ×
 * the input width with batch-norm and hard-swish, global average pooling, a 1×1 convolution without batch-norm
 * to {@code headDims × alpha} features with hard-swish, dropout, and the classifier.
 *
 * <p>After pooling the map is 1×1, so the paper's two "conv2d 1×1, NBN" rows are dense layers with bias
 * (torchvision's {@code Linear} layers): the same parameters and arithmetic, without a reshape around them.
 */
public final class MobileNetV3Head implements HeadProvider {
    public static final String NAME = "mobilenetv3-head";
    static final List<OptionSpec> OPTIONS = MobileNetV3Settings.with(
            OptionSpec.ofInt("headExpansion", 6, "the first 1x1 convolution's width as a multiple of its input's"),
            OptionSpec.ofInt("headDims", 1024, "features of the pooled 1x1 layer before the classifier, scaled by"
                    + " alpha (1280 in Table 1, 1024 in Table 2)"),
            OptionSpec.ofDouble("dropout", 0.2, "dropout rate before the classifier (0 = none)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MobileNetV3 last stage: 1x1 conv + BN + hard-swish, pool, 1x1 conv (no BN) + hard-swish, dropout,"
                + " classifier";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Tensor build(Graph g, Tensor input, int numClasses, Options options) {
        MobileNetV3Settings s = MobileNetV3Settings.of(options);
        int expansion = options.getInt("headExpansion", 6);
        int features = s.scaled(options.getInt("headDims", 1024));
        double dropout = options.getDouble("dropout", 0.2);
        if (expansion < 1) {
            throw new IllegalArgumentException("option 'headExpansion' must be at least 1, got " + expansion);
        }
        if (options.getInt("headDims", 1024) < 1) {
            // makeDivisible would turn it into a width of 8 without a word.
            throw new IllegalArgumentException("option 'headDims' must be at least 1, got "
                    + options.getInt("headDims", 1024));
        }
        if (!(dropout >= 0 && dropout < 1)) {
            // A negative or NaN rate would quietly drop the layer ("0 = none").
            throw new IllegalArgumentException("option 'dropout' must be in [0, 1), got " + dropout);
        }
        Tensor x = g.conv2d(input, ConvSpec.of(expansion * input.channels(), 1).kernelInit(Init.HE_NORMAL_FAN_OUT));
        x = g.hardSwish(s.batchNorm(g, x));
        x = g.globalAvgPool(x, false);
        x = g.hardSwish(g.dense(x, features, true, Init.NORMAL_001, "conv_nbn"));
        if (dropout > 0) {
            x = g.dropout(x, dropout);
        }
        return g.dense(x, numClasses, true, Init.NORMAL_001, "classifier");
    }
}
