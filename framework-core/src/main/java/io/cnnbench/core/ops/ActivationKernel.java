package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.cnnbench.api.graph.Op;
import java.util.List;

/** Element-wise activations; hard-sigmoid is relu6(x + 3) / 6 as in MobileNetV3 (not Keras 2's 0.2x + 0.5). */
public final class ActivationKernel implements OpKernel<Op.Activation> {
    static final ActivationKernel INSTANCE = new ActivationKernel();

    @Override
    public NDArray forward(Op.Activation op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray x = inputs.get(0);
        switch (op.kind()) {
            case RELU:
                return Activation.relu(x);
            case RELU6:
                return Activation.relu6(x);
            case HARD_SIGMOID:
                return hardSigmoid(x);
            case HARD_SWISH:
                return x.mul(hardSigmoid(x));
            case SIGMOID:
                return Activation.sigmoid(x);
            default:
                throw new IllegalArgumentException("unknown activation " + op.kind());
        }
    }

    private static NDArray hardSigmoid(NDArray x) {
        return Activation.relu6(x.add(3f)).div(6f);
    }
}
