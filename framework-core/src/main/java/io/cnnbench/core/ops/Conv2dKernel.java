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
        if (isGroupedPointwise(op)) {
            return groupedPointwise(op, x, params);
        }
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

    /** Whether this kernel runs {@code op} as one batched matrix product ({@link #groupedPointwise}). */
    public static boolean isGroupedPointwise(Op.Conv2d op) {
        return op.groups() > 1 && op.kernelH() == 1 && op.kernelW() == 1 && op.strideH() == 1 && op.strideW() == 1
                && op.padTop() == 0 && op.padLeft() == 0 && op.padBottom() == 0 && op.padRight() == 0;
    }

    /**
     * A grouped 1×1 convolution as one batched matrix product, {@code (G, out/G, in/G) × (N, G, in/G, H·W)}.
     * libtorch's oneDNN path runs ResNeXt's grouped 1×1 expansions (few channels in per group, many out)
     * 3-5x slower than this (measured in the performance notes); the result is the same sum of the same
     * products, equal to the convolution within float rounding.
     */
    private static NDArray groupedPointwise(Op.Conv2d op, NDArray x, List<NDArray> params) {
        Shape s = x.getShape();
        long n = s.get(0);
        long channelsIn = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        int g = op.groups();
        NDArray kernel = params.get(0).reshape(g, op.filters() / g, channelsIn / g);
        NDArray y = kernel.matMul(x.reshape(n, g, channelsIn / g, h * w)).reshape(n, op.filters(), h, w);
        return op.bias() ? y.add(params.get(1).reshape(1, op.filters(), 1, 1)) : y;
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
