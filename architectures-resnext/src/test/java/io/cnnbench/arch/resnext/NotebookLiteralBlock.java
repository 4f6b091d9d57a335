package io.cnnbench.arch.resnext;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.BlockArgs;
import io.cnnbench.api.spi.BlockProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The notebook's resnext_block written literally, path by path (C separate conv_block/conv/BN chains, an Add of
 * the C outputs, then the residual Add and ReLU). Test-only: it exists to prove the fused block equal to it.
 */
final class NotebookLiteralBlock implements BlockProvider {
    @Override
    public String name() {
        return "notebook-literal-block";
    }

    @Override
    public Tensor build(Graph g, Tensor inputs, BlockArgs args) {
        ResNeXtWidths w = ResNeXtWidths.of(args.outDims(), args.options());
        List<Tensor> toAggregate = new ArrayList<>();
        for (int i = 0; i < w.cardinality(); i++) {
            try (Graph.Scope s = g.scope("path" + i)) {
                Tensor x = g.relu(g.batchNorm(g.conv2d(inputs, ConvSpec.of(w.squeezeDims(), 1))));
                x = g.relu(g.batchNorm(g.conv2d(x, ConvSpec.of(w.squeezeDims(), 3).stride(args.stride()))));
                x = g.conv2d(x, ConvSpec.of(args.outDims(), 1));
                toAggregate.add(g.batchNorm(x));
            }
        }
        Tensor pathOutputs = g.add(toAggregate.get(0), toAggregate.subList(1, toAggregate.size())
                .toArray(new Tensor[0]));
        Tensor identity = inputs;
        if (args.downsample()) {
            identity = g.conv2d(inputs, ConvSpec.of(args.outDims(), 1).stride(2), "shortcut_conv");
        }
        return g.relu(g.add(identity, pathOutputs));
    }
}
