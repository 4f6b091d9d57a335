package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/** Element-wise sum of same-shaped inputs. */
public final class AddKernel implements OpKernel<Op.Add> {
    static final AddKernel INSTANCE = new AddKernel();

    @Override
    public NDArray forward(Op.Add op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray sum = inputs.get(0).add(inputs.get(1));
        for (int i = 2; i < inputs.size(); i++) {
            sum = sum.add(inputs.get(i));
        }
        return sum;
    }

    /** Two inputs are an Add; more are one variadic Sum rather than a chain of Adds. */
    @Override
    public void toOnnx(Op.Add op, OnnxNodeWriter w) {
        String[] in = new String[w.inputCount()];
        for (int i = 0; i < in.length; i++) {
            in[i] = w.input(i);
        }
        w.op(in.length == 2 ? "Add" : "Sum", in).writeTo(w.output());
    }
}
