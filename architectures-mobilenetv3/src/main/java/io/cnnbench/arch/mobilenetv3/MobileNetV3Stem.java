package io.cnnbench.arch.mobilenetv3;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Init;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.OptionSpec;
import io.cnnbench.api.spi.TailProvider;
import java.util.List;

/**
 * The first row of Tables 1 and 2: a 3×3 convolution (no bias) to {@code dims × alpha} channels, batch-norm,
 * hard-swish. The paper's stride is 2; option {@code stemStride} changes it (the CIFAR variants use 1).
 */
public final class MobileNetV3Stem implements TailProvider {
    public static final String NAME = "mobilenetv3-stem";
    static final List<OptionSpec> OPTIONS = MobileNetV3Settings.with(
            OptionSpec.ofInt("stemStride", 2, "stride of the stem's 3x3 convolution (the CIFAR variants use 1)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MobileNetV3 stem: 3x3 conv (stride option stemStride, default 2) + BN + hard-swish";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public Tensor build(Graph g, Tensor input, int dims, Options options) {
        MobileNetV3Settings s = MobileNetV3Settings.of(options);
        int stride = options.getInt("stemStride", 2);
        if (stride < 1) {
            throw new IllegalArgumentException("option 'stemStride' must be at least 1, got " + stride);
        }
        Tensor x = g.conv2d(input, ConvSpec.of(s.scaled(dims), 3).stride(stride).kernelInit(Init.HE_NORMAL_FAN_OUT));
        return g.hardSwish(s.batchNorm(g, x));
    }
}
