package io.cnnbench.arch.resnext;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.OptionSpec;
import java.util.List;

/**
 * ResNeXt as the paper implements it (arXiv 1611.05431, Fig. 3(c)): 1×1 conv-BN-ReLU to C·d channels, a
 * grouped 3×3 conv-BN-ReLU with C groups, 1×1 conv-BN back to the output width, added to the shortcut, ReLU.
 * Where the shape changes the shortcut is a projection (1×1 conv, stride 2, BN), as in ResNet's option B.
 */
public final class ResNeXtBlock implements BlockProvider {
    public static final String NAME = "resnext-block";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ResNeXt bottleneck, paper form 3(c): grouped 3x3 conv, BN after every conv, projection shortcut";
    }

    @Override
    public List<OptionSpec> options() {
        return ResNeXtWidths.OPTIONS;
    }

    @Override
    public Tensor build(Graph g, Tensor input, BlockArgs args) {
        ResNeXtWidths w = ResNeXtWidths.of(args.outDims(), args.options());
        Tensor x = g.relu(g.batchNorm(g.conv2d(input, ConvSpec.of(w.pathsWidth(), 1), "reduce_conv")));
        x = g.relu(g.batchNorm(g.conv2d(x,
                ConvSpec.of(w.pathsWidth(), 3).stride(args.stride()).groups(w.cardinality()), "grouped_conv")));
        x = g.batchNorm(g.conv2d(x, ConvSpec.of(args.outDims(), 1), "expand_conv"),
                ResNeXtWidths.lastBatchNormScale(args.options()));
        Tensor shortcut = input;
        if (args.downsample() || input.channels() != args.outDims()) {
            shortcut = g.batchNorm(g.conv2d(input, ConvSpec.of(args.outDims(), 1).stride(args.stride()),
                    "shortcut_conv"));
        }
        return g.relu(g.add(shortcut, x));
    }
}
