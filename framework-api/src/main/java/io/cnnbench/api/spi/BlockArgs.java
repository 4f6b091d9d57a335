package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Dims;

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

    /**
     * Throws, naming {@code block}, when {@code out} is not what these arguments asked of it given {@code in}: height
     * and width halved (rounded up, as "same" padding gives) when downsampling and kept otherwise, and, where
     * {@code exactChannels}, {@link #outDims} channels. The head pools globally and a stride adds no parameters, so
     * a block that ignored {@code downsample} would otherwise build, train and pass every count at full resolution.
     */
    public void requireOutput(BlockProvider block, String where, Dims in, Dims out, boolean exactChannels) {
        if (in.rank() != 3) {
            return;
        }
        int h = downsample ? (in.height() + 1) / 2 : in.height();
        int w = downsample ? (in.width() + 1) / 2 : in.width();
        boolean ok = out.rank() == 3 && out.height() == h && out.width() == w
                && (!exactChannels || out.channels() == outDims);
        if (!ok) {
            throw new IllegalStateException("block '" + block.name() + "' at " + where + " was asked for "
                    + (exactChannels ? outDims + " channels at " : "") + h + "x" + w + " from " + in
                    + (downsample ? " (downsample: stride 2)" : " (no downsampling)") + ", and built " + out
                    + ": a block must apply BlockArgs.stride() and outDims()");
        }
    }
}
