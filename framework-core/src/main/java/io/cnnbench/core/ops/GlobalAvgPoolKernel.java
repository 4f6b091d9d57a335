package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
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
