package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.BatchNorm;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/**
 * Batch normalisation over axis 1. Params: gamma, beta, running mean, running variance. In training the
 * engine updates the running statistics in place; DJL's momentum has Keras' meaning (weight of the old
 * value), which the tests pin.
 */
public final class BatchNormKernel implements OpKernel<Op.BatchNorm> {
    static final BatchNormKernel INSTANCE = new BatchNormKernel();

    @Override
    public NDArray forward(Op.BatchNorm op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        return BatchNorm.batchNorm(inputs.get(0), params.get(2), params.get(3), params.get(0), params.get(1), 1,
                (float) op.momentum(), (float) op.epsilon(), training).singletonOrThrow();
    }

    /** Inference form: normalises with the running statistics (training_mode defaults to 0). */
    @Override
    public void toOnnx(Op.BatchNorm op, OnnxNodeWriter w) {
        w.op("BatchNormalization", w.input(0), w.param(0), w.param(1), w.param(2), w.param(3))
                .floatAttr("epsilon", (float) op.epsilon())
                .writeTo(w.output());
    }
}
