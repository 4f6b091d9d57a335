package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import java.util.Arrays;

/**
 * The notebook's VGG-like builder: for each level, {@code blockRepeats[level]} blocks at the current width,
 * then (while {@code level + 1 <= numDownsamples}) the width doubles and one downsampling block follows.
 */
public record VggBody(int numLevels, int[] blockRepeats, int numDownsamples) implements Body {

    public VggBody {
        if (numLevels < 1 || blockRepeats.length != numLevels) {
            throw new IllegalArgumentException("blockRepeats must have one entry per level: " + numLevels
                    + " levels, repeats " + Arrays.toString(blockRepeats));
        }
        for (int repeats : blockRepeats) {
            // 0 is a level of its downsampling block alone; below 0 would silently build what 0 builds.
            if (repeats < 0) {
                throw new IllegalArgumentException("blockRepeats must be 0 or more blocks per level, got "
                        + Arrays.toString(blockRepeats));
            }
        }
        if (numDownsamples < 0 || numDownsamples > numLevels) {
            throw new IllegalArgumentException("numDownsamples must be between 0 and numLevels (" + numLevels
                    + "), got " + numDownsamples);
        }
        blockRepeats = blockRepeats.clone();
    }

    @Override
    public int[] blockRepeats() {
        return blockRepeats.clone();
    }

    @Override
    public Tensor build(Graph graph, Tensor x, BlockProvider block, int startDims, Options architectureOptions) {
        int dims = startDims;
        for (int level = 0; level < numLevels; level++) {
            for (int r = 0; r < blockRepeats[level]; r++) {
                try (Graph.Scope s = graph.scope("level" + level + "/block" + r)) {
                    BlockArgs args = new BlockArgs(dims, false, architectureOptions);
                    Tensor in = x;
                    x = block.build(graph, x, args);
                    args.requireOutput(block, "level" + level + "/block" + r, in.shape(), x.shape(), true);
                }
            }
            if (level + 1 <= numDownsamples) {
                dims *= 2;
                try (Graph.Scope s = graph.scope("level" + level + "/downsample")) {
                    BlockArgs args = new BlockArgs(dims, true, architectureOptions);
                    Tensor in = x;
                    x = block.build(graph, x, args);
                    args.requireOutput(block, "level" + level + "/downsample", in.shape(), x.shape(), true);
                }
            }
        }
        return x;
    }

    @Override
    public String describe() {
        return "vgg-like: levels " + numLevels + ", repeats " + Arrays.toString(blockRepeats) + ", downsamples "
                + numDownsamples;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VggBody v && v.numLevels == numLevels && v.numDownsamples == numDownsamples
                && Arrays.equals(v.blockRepeats, blockRepeats);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numLevels + numDownsamples) + Arrays.hashCode(blockRepeats);
    }

    @Override
    public String toString() {
        return describe();
    }
}
