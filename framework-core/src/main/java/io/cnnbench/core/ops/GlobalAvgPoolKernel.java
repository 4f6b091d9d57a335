package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import io.cnnbench.api.graph.Op;
import java.util.List;

/** Mean over H and W. */
public final class GlobalAvgPoolKernel implements OpKernel<Op.GlobalAvgPool> {
    static final GlobalAvgPoolKernel INSTANCE = new GlobalAvgPoolKernel();

    @Override
    public NDArray forward(Op.GlobalAvgPool op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray x = inputs.get(0);
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        // The PyTorch engine's mean takes one axis: flatten H and W first.
        NDArray pooled = x.reshape(n, c, -1).mean(new int[] {2});
        return op.keepDims() ? pooled.reshape(n, c, 1, 1) : pooled;
    }
}
