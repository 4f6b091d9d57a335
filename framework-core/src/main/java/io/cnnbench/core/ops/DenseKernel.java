package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/** {@code x · Wᵀ + b} with W of shape {@code (units, in)}. */
public final class DenseKernel implements OpKernel<Op.Dense> {
    static final DenseKernel INSTANCE = new DenseKernel();

    @Override
    public NDArray forward(Op.Dense op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        return op.bias()
                ? Linear.linear(inputs.get(0), params.get(0), params.get(1)).singletonOrThrow()
                : Linear.linear(inputs.get(0), params.get(0)).singletonOrThrow();
    }

    /** Gemm with transB computes {@code x · Wᵀ + b} on the {@code (units, in)} weight as stored. */
    @Override
    public void toOnnx(Op.Dense op, OnnxNodeWriter w) {
        String[] in = op.bias()
                ? new String[] {w.input(0), w.param(0), w.param(1)}
                : new String[] {w.input(0), w.param(0)};
        w.op("Gemm", in).intAttr("transB", 1).writeTo(w.output());
    }
}
