package io.cnnbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.StageTable;
import io.cnnbench.api.spi.VggBody;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A body checks each block's output against what it asked: the stride, and in a VGG-like body the width. */
class BlockOutputTest {
    /** A 3x3 convolution block; {@code honest} decides whether it applies the stride it is asked for. */
    private static BlockProvider block(boolean honest) {
        return new BlockProvider() {
            @Override
            public String name() {
                return honest ? "conv-block" : "strideless-block";
            }

            @Override
            public Tensor build(Graph g, Tensor x, BlockArgs args) {
                return g.relu(g.conv2d(x, ConvSpec.of(args.outDims(), 3).stride(honest ? args.stride() : 1)));
            }
        };
    }

    @Test
    void aBlockThatIgnoresItsStrideIsRefusedNamingItAndWhere() {
        Graph g = new Graph("t", Dims.of(3, 28, 28));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new VggBody(2, new int[] {1, 1}, 1)
                .build(g, g.input(), block(false), 8, Options.empty()));
        assertTrue(e.getMessage().startsWith("block 'strideless-block' at level0/downsample was asked for 16 channels"
                + " at 14x14"), e.getMessage());
        Graph table = new Graph("t", Dims.of(3, 28, 28));
        assertThrows(IllegalStateException.class, () -> new StageTable(List.of(new StageTable.Stage(8, true,
                Options.empty()))).build(table, table.input(), block(false), 8, Options.empty()));
    }

    @Test
    void aBlockThatDoesWhatItIsAskedBuilds() {
        Graph g = new Graph("t", Dims.of(3, 28, 28));
        Tensor out = new VggBody(3, new int[] {1, 1, 1}, 2).build(g, g.input(), block(true), 8, Options.empty());
        assertEquals(Dims.of(32, 7, 7), out.shape());
        // Odd sizes round up, as "same" padding does.
        Graph odd = new Graph("t", Dims.of(3, 7, 7));
        assertEquals(Dims.of(16, 4, 4), new VggBody(2, new int[] {0, 0}, 1).build(odd, odd.input(), block(true), 8,
                Options.empty()).shape());
    }
}
