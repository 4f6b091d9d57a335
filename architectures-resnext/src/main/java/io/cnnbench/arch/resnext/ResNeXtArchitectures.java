package io.cnnbench.arch.resnext;

import io.cnnbench.api.common.GenericHead;
import io.cnnbench.api.common.GenericTail;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.VggBody;

/**
 * The registered ResNeXt architectures: small entry points over one body (the notebook's VGG-like builder
 * with levels 4/4/5 and two downsamples).
 */
public final class ResNeXtArchitectures {
    static final String PAPER = "Xie et al., Aggregated Residual Transformations for Deep Neural Networks, arXiv 1611.05431";

    private ResNeXtArchitectures() {
    }

    static ArchitectureSpec.Builder base(String name) {
        return ArchitectureSpec.builder(name)
                .paper(PAPER)
                .tail(GenericTail.NAME)
                .head(GenericHead.NAME)
                .startDims(32)
                .body(new VggBody(3, new int[] {4, 4, 5}, 2))
                .options(Options.of("cardinality", "8", "squeezeRatio", "0.25"));
    }

    /** The notebook's network, exactly: 216,970 trainable parameters on 28×28×3. */
    public static final class Seed implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return base("resnext-seed")
                    .description("the original notebook's ResNeXt for CIFAR-10 (cardinality 8, levels 4/4/5)")
                    .block(ResNeXtSeedBlock.NAME)
                    .expectedTrainableParameters(216_970)
                    .build();
        }
    }

    /** The paper's block form with the notebook's widths. */
    public static final class Paper implements ArchitectureProvider {
        @Override
        public ArchitectureSpec spec() {
            return base("resnext")
                    .description("ResNeXt, paper form 3(c) (grouped conv, BN on every conv) at the notebook's widths")
                    .block(ResNeXtBlock.NAME)
                    .expectedTrainableParameters(200_330)
                    .build();
        }
    }
}
