package io.cnnbench.core.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.onnx.OnnxNodeWriter;
import java.util.List;

/** Convolution. Params: kernel {@code (out, in/groups, kh, kw)}, then bias if any. */
public final class Conv2dKernel implements OpKernel<Op.Conv2d> {
    static final Conv2dKernel INSTANCE = new Conv2dKernel();

    @Override
    public NDArray forward(Op.Conv2d op, List<NDArray> inputs, List<NDArray> params, boolean training) {
        NDArray x = inputs.get(0);
        Shape padding;
        if (op.symmetricPadding()) {
            padding = new Shape(op.padTop(), op.padLeft());
        } else {
            // Keras "same" with stride 2 on even sizes pads only after; torch's convolution pads symmetrically,
            // so the asymmetric part is an explicit zero pad (order: last axis first, as torch.nn.functional.pad).
            x = x.pad(new Shape(op.padLeft(), op.padRight(), op.padTop(), op.padBottom()), 0);
            padding = new Shape(0, 0);
        }
        NDArray bias = op.bias() ? params.get(1) : null;
        return Conv2d.conv2d(x, params.get(0), bias, new Shape(op.strideH(), op.strideW()), padding,
                new Shape(1, 1), op.groups()).singletonOrThrow();
    }

    /** ONNX's Conv takes begin and end pads separately, so Keras' asymmetric "same" needs no extra Pad node. */
    @Override
    public void toOnnx(Op.Conv2d op, OnnxNodeWriter w) {
        String[] in = op.bias()
                ? new String[] {w.input(0), w.param(0), w.param(1)}
                : new String[] {w.input(0), w.param(0)};
        w.op("Conv", in)
                .intsAttr("kernel_shape", op.kernelH(), op.kernelW())
                .intsAttr("strides", op.strideH(), op.strideW())
                .intsAttr("pads", op.padTop(), op.padLeft(), op.padBottom(), op.padRight())
                .intsAttr("dilations", 1, 1)
                .intAttr("group", op.groups())
                .writeTo(w.output());
    }
}
