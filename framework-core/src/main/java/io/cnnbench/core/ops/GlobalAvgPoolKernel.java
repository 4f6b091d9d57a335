package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/** Mean over H and W (global average pooling). */
public final class GlobalAvgPoolKernel implements OpKernel<Op.GlobalAvgPool> {
    static final GlobalAvgPoolKernel INSTANCE = new GlobalAvgPoolKernel();

    @Override
    public NDArray forward(Op.GlobalAvgPool op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray x = inputs.get(0);
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        // The PyTorch engine's mean takes one axis: flatten H and W first. A sum divided by H·W, not a mean: each
        // call gives the mean's values and input gradient to the bit (libtorch's CPU mean is that sum and
        // division), but the sum's backward pass hands on a broadcast view of the (N, C) gradient where the mean's
        // writes a full (N, C, H, W) tensor: 0.23-0.35 against 0.62-1.0 ms at mobilenetv3-small's squeeze-excite
        // shapes. The kernels after it then round differently, so a seed trains to other numbers than before
        // (docs/performance.md, "Global average pooling as a sum").
        // The divisor is a tensor the engine makes: div(Number) wraps the number in a Java buffer that DJL frees
        // at once, while autograd keeps it for the backward pass (ActivationKernel, PathsExpansion).
        NDArray area = x.getManager().full(new Shape(), x.getShape().get(2) * x.getShape().get(3), x.getDataType());
        NDArray pooled = x.reshape(n, c, -1).sum(new int[] {2}).div(area);
        return op.keepDims() ? pooled.reshape(n, c, 1, 1) : pooled;
    }

    /** GlobalAveragePool keeps {@code (N, C, 1, 1)}; Flatten at axis 1 drops the unit axes for keepDims false. */
    @Override
    public void toOnnx(Op.GlobalAvgPool op, OnnxNodeWriter w) {
        if (op.keepDims()) {
            w.op("GlobalAveragePool", w.input(0)).writeTo(w.output());
        } else {
            String pooled = w.op("GlobalAveragePool", w.input(0)).writeTo(w.intermediate("pooled"));
            w.op("Flatten", pooled).intAttr("axis", 1).writeTo(w.output());
        }
    }
}
