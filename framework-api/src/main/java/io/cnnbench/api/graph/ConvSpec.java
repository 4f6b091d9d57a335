package io.cnnbench.api.graph;

/**
 * What a convolution should be, before it meets its input. Defaults are the notebook's {@code conv_params}:
 * "same" padding, no bias, stride 1, one group, Glorot-uniform kernel.
 */
public final class ConvSpec {
    final int filters;
    final int kernelH;
    final int kernelW;
    int strideH = 1;
    int strideW = 1;
    int groups = 1;
    boolean bias;
    Padding padding = Padding.SAME;
    Init kernelInit = Init.GLOROT_UNIFORM;
    int initPaths = 1;

    private ConvSpec(int filters, int kernelH, int kernelW) {
        if (filters <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("filters and kernel size must be positive");
        }
        this.filters = filters;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
    }

    /** A square-kernel convolution. */
    public static ConvSpec of(int filters, int kernel) {
        return new ConvSpec(filters, kernel, kernel);
    }

    public ConvSpec stride(int stride) {
        if (stride < 1) {
            throw new GraphException("a convolution's stride must be at least 1, got " + stride);
        }
        this.strideH = stride;
        this.strideW = stride;
        return this;
    }

    public ConvSpec groups(int groups) {
        if (groups < 1) {
            throw new GraphException("a convolution's groups must be at least 1, got " + groups);
        }
        this.groups = groups;
        return this;
    }

    public ConvSpec bias(boolean bias) {
        this.bias = bias;
        return this;
    }

    public ConvSpec padding(Padding padding) {
        this.padding = padding;
        return this;
    }

    public ConvSpec kernelInit(Init init) {
        this.kernelInit = init;
        return this;
    }

    /**
     * Declares that this convolution stands for {@code paths} independent convolutions stacked on the
     * output axis (each seeing the whole input), so the initialiser uses one path's fan-out. The notebook
     * builds its ResNeXt paths as separate layers; the fused form keeps their initial distribution.
     */
    public ConvSpec initAsPaths(int paths) {
        this.initPaths = paths;
        return this;
    }
}
