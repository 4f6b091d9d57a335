package io.cnnbench.core.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * How a batch of images {@code (N, C, H, W)} is laid out in memory when it enters the network. The logical shape,
 * the values and the graph are the same either way; libtorch's operations follow the layout of their input, so
 * the layout chosen here is the one every convolution, batch-norm and element-wise operation of the forward and
 * backward pass runs in.
 */
public enum ImageLayout {
    /** Row-major {@code (N, C, H, W)}, as the data pipeline writes it. */
    NCHW,
    /**
     * Channels innermost ({@code (N, H, W, C)} in memory, PyTorch's {@code channels_last}). oneDNN runs
     * convolutions, depthwise ones above all, in this layout without converting to and from its own blocked
     * format around every call; measured in docs/performance.md.
     */
    CHANNELS_LAST;

    /** Channels-last on the CPU, where it was measured faster; NCHW on a GPU, where it has not been measured. */
    public static ImageLayout defaultFor(Device device) {
        return device.isGpu() ? NCHW : CHANNELS_LAST;
    }

    /** {@code nchw} or {@code channels-last}. */
    public static ImageLayout parse(String s) {
        String name = s.trim().toLowerCase(Locale.ROOT);
        for (ImageLayout l : values()) {
            if (l.toString().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("image layout must be nchw or channels-last; got '" + s + "'");
    }

    /**
     * The batch in this layout: the same array for NCHW; for channels-last a copy whose memory runs over channels
     * first, seen through a permuted view with the original {@code (N, C, H, W)} shape. The reshape between the
     * permutes is what forces the copy (a permuted view cannot be flattened in place); the result reads back the
     * same values in the same logical order.
     */
    public NDArray apply(NDArray images) {
        if (this == NCHW || images.getShape().dimension() != 4) {
            return images;
        }
        Shape s = images.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return images.transpose(0, 2, 3, 1).reshape(n, h * w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
