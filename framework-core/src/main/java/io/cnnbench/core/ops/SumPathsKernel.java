package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.Op;
import java.util.List;

/** {@code (N, P·C, H, W) → (N, C, H, W)}: view as {@code (N, P, C, H, W)} and sum over P. */
public final class SumPathsKernel implements OpKernel<Op.SumPaths> {
    static final SumPathsKernel INSTANCE = new SumPathsKernel();

    @Override
    public NDArray forward(Op.SumPaths op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray x = inputs.get(0);
        Shape s = x.getShape();
        return x.reshape(s.get(0), op.paths(), s.get(1) / op.paths(), s.get(2), s.get(3)).sum(new int[] {1});
    }
}
