package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/** Inverted dropout; the identity outside training. */
public final class DropoutKernel implements OpKernel<Op.Dropout> {
    static final DropoutKernel INSTANCE = new DropoutKernel();

    @Override
    public NDArray forward(Op.Dropout op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        if (!training || op.rate() == 0) {
            return inputs.get(0);
        }
        return Dropout.dropout(inputs.get(0), (float) op.rate(), true).singletonOrThrow();
    }

    /** An exported model is for inference, where dropout is the identity. */
    @Override
    public void toOnnx(Op.Dropout op, OnnxNodeWriter w) {
        w.op("Identity", w.input(0)).writeTo(w.output());
    }
}
