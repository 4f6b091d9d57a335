package io.cnnbench.benchmarks;

import static io.cnnbench.benchmarks.LayerTiming.leaf;
import static io.cnnbench.benchmarks.LayerTiming.medianMs;
import static io.cnnbench.benchmarks.LayerTiming.trainMs;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.Op;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import java.util.Locale;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * What each direction of an architecture's depthwise convolutions costs on the PyTorch engine, at the training
 * batch size and in the training layout, each timed alone on the layer's own shape: the forward pass, the
 * backward pass to the input, and the backward pass to the weights. Beside them, two other ways to get the same
 * numbers, each as measured in the same run:
 * <ul>
 *   <li>the layer as a grouped convolution of block-diagonal {@code block}-channel groups (more multiply-adds,
 *   but oneDNN's grouped kernels rather than its depthwise ones), forward and both backward passes, as a ratio to
 *   the depthwise form's three figures added up;</li>
 *   <li>the weight gradient as a forward depthwise convolution, every (image, channel) pair a channel of its own
 *   and the upstream gradient its kernel, summed over the images, copies of the input and the gradient included;
 *   checked against the engine's weight gradient.</li>
 * </ul>
 * Each backward figure is the forward and backward pass minus the forward pass and minus the loss that drives it
 * (the output times a fixed random upstream gradient in the layer's layout, summed); all figures are medians over
 * {@code runs} after {@code warmup} untimed runs. The numbers, and why neither alternative is used in training,
 * are in docs/performance.md. Arguments are key=value: {@code architecture=mobilenetv3-small batch=64
 * layout=channels-last block=8 warmup=5 runs=30}.
 */
public final class DepthwiseDirections {
    private DepthwiseDirections() {
    }

    public static void main(String[] args) {
        Map<String, String> a = BenchmarkArgs.parse(Map.of("architecture", "mobilenetv3-small", "batch", "64",
                "layout", "channels-last", "block", "8", "warmup", "5", "runs", "30"), args);
        int batch = Integer.parseInt(a.get("batch"));
        int block = Integer.parseInt(a.get("block"));
        int warmup = Integer.parseInt(a.get("warmup"));
        int runs = Integer.parseInt(a.get("runs"));
        ImageLayout layout = ImageLayout.parse(a.get("layout"));
        Graph graph = BenchmarkArgs.architecture(a.get("architecture"));
        Engine engine = Engines.pytorch();
        System.out.printf(Locale.ROOT, "%s, batch %d, %s, %d cores; milliseconds, medians of %d runs%n",
                graph.name(), batch, layout, Runtime.getRuntime().availableProcessors(), runs);
        System.out.printf(Locale.ROOT, "%-28s %8s %9s %10s %10s %18s %17s%n", "depthwise layer", "forward",
                "bwd input", "bwd weight", "weight/fwd", "block-" + block + "/depthwise", "bwd weight as fwd");
        double[] total = new double[5];
        double largestError = 0;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (Node node : graph.nodes()) {
                if (!(node.op() instanceof Op.Conv2d c) || node.inputs().isEmpty()) {
                    continue;
                }
                Dims in = graph.node(node.inputs().get(0)).outputShape();
                long channels = in.channels();
                if (c.groups() != channels || c.filters() != channels) {
                    continue;
                }
                try (NDManager layer = m.newSubManager()) {
                    double[] t = timeLayer(engine, layer, layout, batch, in, c, block, warmup, runs);
                    System.out.printf(Locale.ROOT, "%-28s %8.3f %9.3f %10.3f %9.1fx %17.2fx %17.3f%n",
                            String.format(Locale.ROOT, "%dx%d s%d, %d ch, %dx%d", c.kernelH(), c.kernelW(),
                                    c.strideH(), channels, in.height(), in.width()),
                            t[0], t[1], t[2], t[2] / t[0], t[3] / (t[0] + t[1] + t[2]), t[4]);
                    for (int i = 0; i < 5; i++) {
                        total[i] += t[i];
                    }
                    largestError = Math.max(largestError, t[5]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-28s %8.3f %9.3f %10.3f %9.1fx %17.2fx %17.3f%n", "all depthwise layers",
                total[0], total[1], total[2], total[2] / total[0], total[3] / (total[0] + total[1] + total[2]),
                total[4]);
        System.out.printf(Locale.ROOT, "weight gradient as a forward convolution against the engine's: largest"
                + " difference %.1e of the largest entry%n", largestError);
    }

    /**
     * Milliseconds of the forward pass, the backward pass to the input, to the weights, the block-diagonal form's
     * forward and backward passes and the weight gradient as a forward convolution; then that gradient's largest
     * difference from the engine's, relative to the engine's largest entry.
     */
    private static double[] timeLayer(Engine engine, NDManager m, ImageLayout layout, int batch, Dims in,
                                      Op.Conv2d c, int block, int warmup, int runs) {
        long channels = in.channels();
        // Keras "same" padding at stride 2 pads only after; the engine pads such an input before convolving
        // (Conv2dKernel), so the layer is timed on an input of the padded size with no padding of its own.
        boolean symmetric = c.symmetricPadding();
        long height = symmetric ? in.height() : in.height() + c.padTop() + c.padBottom();
        long width = symmetric ? in.width() : in.width() + c.padLeft() + c.padRight();
        NDArray x = layout.apply(m.randomNormal(new Shape(batch, channels, height, width)));
        NDArray kernel = m.randomNormal(new Shape(channels, 1, c.kernelH(), c.kernelW()));
        Shape stride = new Shape(c.strideH(), c.strideW());
        Shape pad = symmetric ? new Shape(c.padTop(), c.padLeft()) : new Shape(0, 0);
        Shape dilation = new Shape(1, 1);
        int groups = (int) channels;
        BinaryOperator<NDArray> depthwise = (input, weights) -> Conv2d.conv2d(input, weights, null, stride, pad,
                dilation, groups).singletonOrThrow();
        double forward = medianMs(warmup, runs, () -> depthwise.apply(x, kernel));
        // The loss (output times upstream, summed) and its backward, around an output that is already there.
        NDArray output = depthwise.apply(x, kernel);
        NDArray upstream = layout.apply(m.randomNormal(output.getShape()));
        double loss = trainMs(engine, warmup, runs, upstream, () -> leaf(output));
        double toInput = trainMs(engine, warmup, runs, upstream, () -> depthwise.apply(leaf(x), kernel))
                - forward - loss;
        double toWeight = trainMs(engine, warmup, runs, upstream, () -> depthwise.apply(x, leaf(kernel)))
                - forward - loss;
        double blockDiagonal = Double.NaN;
        if (channels % block == 0) {
            // (C/B, B, B, kH, kW) with only the diagonal kept: channel i of each group reads only its own input.
            NDArray eye = m.eye(block).reshape(1, block, block, 1, 1);
            int blockGroups = (int) (channels / block);
            blockDiagonal = trainMs(engine, warmup, runs, upstream, () -> {
                NDArray wide = leaf(kernel).reshape(blockGroups, block, 1, c.kernelH(), c.kernelW()).mul(eye)
                        .reshape(channels, block, c.kernelH(), c.kernelW());
                return Conv2d.conv2d(leaf(x), wide, null, stride, pad, dilation, blockGroups).singletonOrThrow();
            });
        }
        // The weight gradient as a forward depthwise convolution: grad[c, i, j] = sum over n, h, w of
        // x[n, c, h·s + i, w·s + j] · upstream[n, c, h, w], i.e. x's N·C planes correlated with the gradient's
        // planes (dilated by the stride), the first kH × kW outputs kept, summed over n.
        // In channels-last both reshapes copy; the copies are timed with it.
        Shape outShape = upstream.getShape();
        Supplier<NDArray> asForward = () -> Conv2d.conv2d(x.reshape(1, batch * channels, height, width),
                        upstream.reshape(batch * channels, 1, outShape.get(2), outShape.get(3)), null,
                        new Shape(1, 1), pad, stride, (int) (batch * channels)).singletonOrThrow()
                .get(":, :, :" + c.kernelH() + ", :" + c.kernelW())
                .reshape(batch, channels, c.kernelH(), c.kernelW()).sum(new int[] {0});
        double weightAsForward = medianMs(warmup, runs, asForward);
        NDArray fresh = leaf(kernel);
        try (GradientCollector gc = engine.newGradientCollector()) {
            gc.backward(depthwise.apply(x, fresh).mul(upstream).sum());
        }
        NDArray reference = fresh.getGradient();
        double error = asForward.get().reshape(reference.getShape()).sub(reference).abs().max().getFloat()
                / reference.abs().max().getFloat();
        return new double[] {forward, toInput, toWeight, blockDiagonal - loss, weightAsForward, error};
    }
}
