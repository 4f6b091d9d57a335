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
        if (isDensePointwise(op) && x.getShape().get(2) == 1 && x.getShape().get(3) == 1) {
            // A 1×1 convolution of a 1×1 image (squeeze-and-excitation's two layers) is a small matrix product,
            // and libtorch's takes a fraction of the time oneDNN's convolution spends setting up, in both
            // directions: mobilenetv3-small trained 4.4 % faster (docs/performance.md).
            return densePointwiseChannelsLast(op, x, params);
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

    /** Whether {@code op} is an ungrouped 1×1 convolution with stride 1 and no padding: a matrix product per pixel. */
    public static boolean isDensePointwise(Op.Conv2d op) {
        return op.groups() == 1 && isPointwise(op);
    }

    /**
     * A dense 1×1 convolution of a channels-last input {@code (N, C, H, W)} as one matrix product,
     * {@code (N·H·W, in) × (in, out)}, returned channels-last. The input's memory already runs over channels
     * innermost, so the permute and the flattening are views, not copies, and so are the result's reshape and
     * permute back. It is the same sum of the same products as the convolution, computed by libtorch's matrix
     * product instead of oneDNN's convolution.
     *
     * <p>Why: on an AMD EPYC (Zen 5), libtorch 2.7.1's channels-last 1×1 convolution kernel
     * ({@code brgconv_1x1:avx512_core}) is wrong when the output channels are not a multiple of 16
     * ({@code LayoutCheck}); the graph block routes dense 1×1 convolutions here on CPUs where that defect shows.
     * Elsewhere oneDNN's kernel stays, since it is faster: this route trained {@code mobilenetv3-small} about 10 %
     * slower than that (wrong) kernel did (docs/performance.md).
     */
    public static NDArray densePointwiseChannelsLast(Op.Conv2d op, NDArray x, List<NDArray> params) {
        if (!isDensePointwise(op)) {
            throw new IllegalArgumentException("not a dense 1x1 convolution with stride 1 and no padding: " + op);
        }
        Shape s = x.getShape();
        long n = s.get(0);
        long channelsIn = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray pixels = x.transpose(0, 2, 3, 1).reshape(n * h * w, channelsIn);
        NDArray y = pixels.matMul(params.get(0).reshape(op.filters(), channelsIn).transpose());
        if (op.bias()) {
            y = y.add(params.get(1));
        }
        return y.reshape(n, h, w, op.filters()).transpose(0, 3, 1, 2);
    }

    /** Whether this kernel runs {@code op} as one batched matrix product ({@link #groupedPointwise}). */
    public static boolean isGroupedPointwise(Op.Conv2d op) {
        return op.groups() > 1 && isPointwise(op);
    }

    private static boolean isPointwise(Op.Conv2d op) {
        return op.kernelH() == 1 && op.kernelW() == 1 && op.strideH() == 1 && op.strideW() == 1
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
