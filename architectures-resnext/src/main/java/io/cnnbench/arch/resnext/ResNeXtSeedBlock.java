package io.cnnbench.arch.resnext;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.OptionSpec;
import java.util.List;

/**
 * The notebook's {@code resnext_block}, structurally identical but fused: its C parallel paths (1×1 conv-BN-ReLU,
 * 3×3 conv-BN-ReLU, 1×1 conv, BN, summed) become one 1×1 convolution to C·d channels, a 3×3 convolution with C
 * groups, a 1×1 convolution with C groups to C·expand channels, batch-norm, and a sum over the C paths. Every
 * path keeps its own weights and batch-norm statistics, so parameters and outputs equal the notebook's; the
 * fused form runs as three convolutions instead of 3·C small ones.
 */
public final class ResNeXtSeedBlock implements BlockProvider {
    public static final String NAME = "resnext-seed-block";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the notebook's ResNeXt block (per-path BN after the expanding 1x1, paths summed), fused";
    }

    @Override
    public List<OptionSpec> options() {
        return ResNeXtWidths.OPTIONS;
    }

    @Override
    public Tensor build(Graph g, Tensor input, BlockArgs args) {
        ResNeXtWidths w = ResNeXtWidths.of(args.outDims(), args.options());
        int c = w.cardinality();
        Tensor paths;
        try (Graph.Scope s = g.scope("paths")) {
            Tensor x = g.conv2d(input, ConvSpec.of(w.pathsWidth(), 1).initAsPaths(c), "squeeze_conv");
            x = g.relu(g.batchNorm(x));
            x = g.conv2d(x, ConvSpec.of(w.pathsWidth(), 3).stride(args.stride()).groups(c).initAsPaths(c),
                    "transform_conv");
            x = g.relu(g.batchNorm(x));
            x = g.conv2d(x, ConvSpec.of(c * args.outDims(), 1).groups(c).initAsPaths(c), "expand_conv");
            paths = g.sumPaths(g.batchNorm(x, ResNeXtWidths.lastBatchNormScale(args.options())), c);
        }
        Tensor identity = input;
        if (args.downsample()) {
            identity = g.conv2d(input, ConvSpec.of(args.outDims(), 1).stride(2), "shortcut_conv");
        }
        return g.relu(g.add(identity, paths));
    }
}
