package io.cnnbench.tck;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.HeadProvider;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.TailProvider;
import io.cnnbench.api.spi.VggBody;

/** A plugin in miniature, registered from the test classes, that the kit's own tests check. */
public final class TinyProviders {
    private TinyProviders() {
    }

    /** 3×3 conv + BN + ReLU. */
    public static final class Tail implements TailProvider {
        @Override
        public String name() {
            return "tck-tiny-tail";
        }

        @Override
        public Tensor build(Graph g, Tensor input, int dims, Options options) {
            return g.relu(g.batchNorm(g.conv2d(input, ConvSpec.of(dims, 3))));
        }
    }

    /** conv-BN-ReLU with a residual where the shape allows one. */
    public static final class Block implements BlockProvider {
        @Override
        public String name() {
            return "tck-tiny-block";
        }

        @Override
        public Tensor build(Graph g, Tensor input, BlockArgs args) {
            Tensor x = g.batchNorm(g.conv2d(input, ConvSpec.of(args.outDims(), 3).stride(args.stride())));
            return g.relu(args.downsample() || input.channels() != args.outDims() ? x : g.add(input, x));
        }
    }

    /** Pooling, dropout, dense. */
    public static final class Head implements HeadProvider {
        @Override
        public String name() {
            return "tck-tiny-head";
        }

        @Override
        public Tensor build(Graph g, Tensor input, int numClasses, Options options) {
            return g.dense(g.dropout(g.globalAvgPool(input, false), 0.1), numClasses, true);
        }
    }

    /** A head with a convolution whose output is never used: its kernel can never train. */
    public static final class DeadBranchHead implements HeadProvider {
        @Override
        public String name() {
            return "tck-dead-branch-head";
        }

        @Override
        public Tensor build(Graph g, Tensor input, int numClasses, Options options) {
            g.conv2d(input, ConvSpec.of(2, 1), "unused_conv");
            return g.dense(g.globalAvgPool(input, false), numClasses, true);
        }
    }

    /** 3×8×8 input, widths 4 → 8, 10 classes: 1,254 trainable parameters. */
    public static final class Architecture implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return recipe("tck-tiny").expectedTrainableParameters(1_254).build();
        }
    }

    static ArchitectureSpec.Builder recipe(String name) {
        return ArchitectureSpec.builder(name)
                .description("a tiny network the conformance kit checks itself on")
                .tail("tck-tiny-tail").block("tck-tiny-block").head("tck-tiny-head")
                .inputShape(Dims.of(3, 8, 8))
                .startDims(4)
                .body(new VggBody(2, new int[] {1, 1}, 1));
    }
}
