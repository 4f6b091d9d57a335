package io.cnnbench.api.spi;

/**
 * What the body asks of one block.
 *
 * @param outDims    channels the block must output
 * @param downsample whether the block halves height and width (stride 2)
 * @param options    the architecture's options, overridden by this stage's own (kernel, expansion…)
 */
public record BlockArgs(int outDims, boolean downsample, Options options) {
    public int stride() {
        return downsample ? 2 : 1;
    }
}
