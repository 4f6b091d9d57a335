package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/** Reshape each example, keeping the batch axis. */
public final class ReshapeKernel implements OpKernel<Op.Reshape> {
    static final ReshapeKernel INSTANCE = new ReshapeKernel();

    @Override
    public NDArray forward(Op.Reshape op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray x = inputs.get(0);
        return x.reshape(op.shape().withBatch(x.getShape().get(0)));
    }

    /** The target shape's leading 0 copies the batch size from the input (allowzero 0), so the batch stays dynamic. */
    @Override
    public void toOnnx(Op.Reshape op, OnnxNodeWriter w) {
        int[] dims = op.shape().toArray();
        long[] shape = new long[dims.length + 1];
        for (int i = 0; i < dims.length; i++) {
            shape[i + 1] = dims[i];
        }
        w.op("Reshape", w.input(0), w.constantInt64s("shape", shape)).writeTo(w.output());
    }
}
