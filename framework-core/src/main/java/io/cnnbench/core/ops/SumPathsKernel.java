package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
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

    /**
     * Reshape to {@code (N, P, C, H, W)} and ReduceSum over P. The shape's leading 0 copies the input's batch
     * size (Reshape's allowzero is 0), which keeps the batch dynamic.
     */
    @Override
    public void toOnnx(Op.SumPaths op, OnnxNodeWriter w) {
        Dims out = w.outputShape();
        String shape = w.constantInt64s("paths_shape", 0, op.paths(), out.channels(), out.height(), out.width());
        String stacked = w.op("Reshape", w.input(0), shape).writeTo(w.intermediate("as_paths"));
        w.op("ReduceSum", stacked, w.constantInt64s("paths_axis", 1))
                .intAttr("keepdims", 0)
                .writeTo(w.output());
    }
}
