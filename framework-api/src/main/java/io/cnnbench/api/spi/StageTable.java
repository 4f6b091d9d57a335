package io.cnnbench.api.spi;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import java.util.List;

/**
 * An explicit list of blocks, one row each, for papers that specify their layout as a table (MobileNetV3's
 * Tables 1 and 2). Each row's options (kernel, expansion, squeeze-excite, activation…) override the
 * architecture's.
 */
public record StageTable(List<Stage> stages) implements Body {

    /** One row: the block's output width, whether it downsamples, and its own options. */
    public record Stage(int outDims, boolean downsample, Options options) {
    }

    public StageTable {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a stage table needs at least one stage");
        }
        stages = List.copyOf(stages);
    }

    @Override
    public Tensor build(Graph graph, Tensor x, BlockProvider block, int startDims, Options architectureOptions) {
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            try (Graph.Scope scope = graph.scope("stage" + i)) {
                BlockArgs args = new BlockArgs(s.outDims(), s.downsample(), architectureOptions.with(s.options()));
                Tensor in = x;
                x = block.build(graph, x, args);
                // Channels are the block's to scale (MobileNetV3's width multiplier); the resolution is not.
                args.requireOutput(block, "stage" + i, in.shape(), x.shape(), false);
            }
        }
        return x;
    }

    @Override
    public String describe() {
        long downsamples = stages.stream().filter(Stage::downsample).count();
        return "stage table: " + stages.size() + " blocks, " + downsamples + " downsampling";
    }
}
