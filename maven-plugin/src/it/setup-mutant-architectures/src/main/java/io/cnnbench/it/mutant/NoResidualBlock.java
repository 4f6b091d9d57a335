package io.cnnbench.it.mutant;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.OptionSpec;
import java.util.List;

/**
 * The notebook's ResNeXt block (resnext-seed-block) with its residual add removed: the block returns
 * relu(sum of paths), so gradients must cross every block's paths. A plausible refactoring slip that still
 * builds, exports and trains; swapped in with {@code -Dcnn.options=resnext-seed.block=resnext-seed-block-no-residual}.
 */
public final class NoResidualBlock implements BlockProvider {
    @Override
    public String name() {
        return "resnext-seed-block-no-residual";
    }

    @Override
    public String description() {
        return "regression mutant: the notebook's ResNeXt block without its residual add";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.ofInt("cardinality", 8, "number of parallel paths"),
                OptionSpec.ofDouble("squeezeRatio", 0.25, "bottleneck width per path as a fraction of the output"));
    }

    @Override
    public Tensor build(Graph g, Tensor input, BlockArgs args) {
        int c = args.options().getInt("cardinality", 8);
        int out = args.outDims();
        // The notebook's squeeze rule (ResNeXtWidths in architectures-resnext, which a plugin cannot depend on).
        int d = (int) Math.floor(out * args.options().getDouble("squeezeRatio", 0.25));
        if (out >= 64) {
            d /= 4;
        }
        int w = c * Math.max(1, d);
        Tensor x = g.relu(g.batchNorm(g.conv2d(input, ConvSpec.of(w, 1).initAsPaths(c), "squeeze_conv")));
        x = g.relu(g.batchNorm(g.conv2d(x, ConvSpec.of(w, 3).stride(args.stride()).groups(c).initAsPaths(c),
                "transform_conv")));
        x = g.conv2d(x, ConvSpec.of(c * out, 1).groups(c).initAsPaths(c), "expand_conv");
        return g.relu(g.sumPaths(g.batchNorm(x), c));
    }
}
