package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import io.cnnbench.api.graph.Op;
import java.util.List;

/** Element-wise product with broadcasting (squeeze-excite scales channels). */
public final class MultiplyKernel implements OpKernel<Op.Multiply> {
    static final MultiplyKernel INSTANCE = new MultiplyKernel();

    @Override
    public NDArray forward(Op.Multiply op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        return inputs.get(0).mul(inputs.get(1));
    }
}
