package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/**
 * Element-wise activations; hard-sigmoid is relu6(x + 3) / 6 as in MobileNetV3 (not Keras 2's 0.2x + 0.5).
 * Hard-swish and hard-sigmoid run as libtorch's own kernels ({@link LibtorchActivations}), composed from DJL's
 * operations only where those cannot be loaded.
 */
public final class ActivationKernel implements OpKernel<Op.Activation> {
    static final ActivationKernel INSTANCE = new ActivationKernel();

    @Override
    public NDArray forward(Op.Activation op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray x = inputs.get(0);
        switch (op.kind()) {
            case RELU:
                return Activation.relu(x);
            case RELU6:
                return x.clip(0f, 6f);
            case HARD_SIGMOID: {
                LibtorchActivations libtorch = LibtorchActivations.shared();
                return libtorch == null ? composedHardSigmoid(x) : libtorch.hardSigmoid(x);
            }
            case HARD_SWISH: {
                LibtorchActivations libtorch = LibtorchActivations.shared();
                return libtorch == null ? composedHardSwish(x) : libtorch.hardSwish(x);
            }
            case SIGMOID:
                return Activation.sigmoid(x);
            default:
                throw new IllegalArgumentException("unknown activation " + op.kind());
        }
    }

    /**
     * The composed hard-sigmoid, kept as the fallback and as the reference the libtorch kernels are tested against.
     * DJL's PyTorch engine wraps a Number operand of div/minimum in a temporary tensor and closes it at once,
     * while autograd keeps it for backward, which then reads freed memory (wrong or NaN gradients under
     * hard-swish). clip passes plain scalars and add's backward never reads its scalar; the 1/6 factor is
     * made by the engine ({@code full}, not from a Java buffer), so closing its handle early frees nothing
     * that autograd still reads.
     */
    static NDArray composedHardSigmoid(NDArray x) {
        NDArray sixth = x.getManager().full(new Shape(), 1f / 6, DataType.FLOAT32);
        return x.add(3f).clip(0f, 6f).mul(sixth);
    }

    static NDArray composedHardSwish(NDArray x) {
        return x.mul(composedHardSigmoid(x));
    }

    @Override
    public void toOnnx(Op.Activation op, OnnxNodeWriter w) {
        switch (op.kind()) {
            case RELU:
                w.op("Relu", w.input(0)).writeTo(w.output());
                break;
            case RELU6:
                // Clip's bounds are inputs since opset 11.
                w.op("Clip", w.input(0), w.constantFloat("min", 0f), w.constantFloat("max", 6f)).writeTo(w.output());
                break;
            case HARD_SIGMOID:
                // max(0, min(1, x/6 + 1/2)) = relu6(x + 3) / 6.
                w.op("HardSigmoid", w.input(0)).floatAttr("alpha", 1f / 6).floatAttr("beta", 0.5f)
                        .writeTo(w.output());
                break;
            case HARD_SWISH:
                // ONNX's HardSwish is x * max(0, min(1, x/6 + 1/2)), the MobileNetV3 form.
                w.op("HardSwish", w.input(0)).writeTo(w.output());
                break;
            case SIGMOID:
                w.op("Sigmoid", w.input(0)).writeTo(w.output());
                break;
            default:
                throw new IllegalArgumentException("unknown activation " + op.kind());
        }
    }
}
