package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/** Element-wise product with broadcasting (squeeze-excite scales channels). */
public final class MultiplyKernel implements OpKernel<Op.Multiply> {
    static final MultiplyKernel INSTANCE = new MultiplyKernel();

    @Override
    public NDArray forward(Op.Multiply op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        return inputs.get(0).mul(inputs.get(1));
    }

    /** ONNX's Mul broadcasts numpy-style, so {@code (N, C, 1, 1)} scales {@code (N, C, H, W)} as here. */
    @Override
    public void toOnnx(Op.Multiply op, OnnxNodeWriter w) {
        w.op("Mul", w.input(0), w.input(1)).writeTo(w.output());
    }
}
