package io.cnnbench.benchmarks;

import static io.cnnbench.benchmarks.LayerTiming.leaf;
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
import io.cnnbench.core.djl.CpuFlags;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import io.cnnbench.core.ops.Conv2dKernel;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Whether bfloat16 convolutions would pay for an architecture's training on this CPU, measured layer by layer.
 *
 * <p>DJL 0.36 cannot hold a bfloat16 tensor, so the bfloat16 convolution is {@link Bf16ConvModule}, a TorchScript
 * module that casts inside libtorch. Every tensor DJL sees stays float32; only the convolution's own inputs and
 * output live in bfloat16, as under PyTorch's {@code autocast}.
 *
 * <p>For every convolution the engine runs as a convolution (not the grouped 1×1 layers {@link Conv2dKernel}
 * runs as a matrix product), at the training batch and layout, it prints the median milliseconds of the forward
 * and backward pass (to the input and the weights) in float32 and through the bfloat16 module, their ratio, and
 * the largest difference of the bfloat16 output and gradients from a float32 convolution of the same
 * bfloat16-rounded values, relative to that array's largest entry (about 3.9e-3, bfloat16's rounding, where the
 * kernel is right). The loss that drives the backward pass (output times a fixed random upstream gradient,
 * summed) is timed alone and taken off both. Arguments are key=value: {@code architecture=resnext-seed batch=64
 * layout=channels-last warmup=5 runs=20}. The numbers are in docs/performance.md.
 */
public final class Bf16Convolutions {
    private Bf16Convolutions() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchmarkArgs.parse(Map.of("architecture", "resnext-seed", "batch", "64",
                "layout", "channels-last", "warmup", "5", "runs", "20"), args);
        int batch = Integer.parseInt(a.get("batch"));
        int warmup = Integer.parseInt(a.get("warmup"));
        int runs = Integer.parseInt(a.get("runs"));
        ImageLayout layout = ImageLayout.parse(a.get("layout"));
        Graph graph = BenchmarkArgs.architecture(a.get("architecture"));
        Engine engine = Engines.pytorch();
        System.out.printf(Locale.ROOT, "%s, batch %d, %s, %d cores, CPU bfloat16 instructions: %s;"
                        + " forward + backward milliseconds, medians of %d runs%n", graph.name(), batch, layout,
                Runtime.getRuntime().availableProcessors(), bf16Flags(), runs);
        System.out.printf(Locale.ROOT, "%-34s %9s %9s %8s   %s%n", "convolution", "float32", "bfloat16",
                "ratio", "largest difference: output, input gradient, weight gradient");
        double[] total = new double[2];
        double[] largestDifference = new double[3];
        try (Bf16ConvModule bf16 = Bf16ConvModule.load()) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                for (Node node : graph.nodes()) {
                    if (!(node.op() instanceof Op.Conv2d c) || node.inputs().isEmpty()
                            || Conv2dKernel.isGroupedPointwise(c)) {
                        continue;
                    }
                    Dims in = graph.node(node.inputs().get(0)).outputShape();
                    try (NDManager layer = m.newSubManager()) {
                        double[] t = timeLayer(engine, layer, bf16, layout, batch, in, c, warmup, runs);
                        System.out.printf(Locale.ROOT, "%-34s %9.3f %9.3f %7.2fx   %.1e %.1e %.1e%n",
                                String.format(Locale.ROOT, "%dx%d s%d g%d, %d→%d ch, %dx%d", c.kernelH(),
                                        c.kernelW(), c.strideH(), c.groups(), in.channels(), c.filters(),
                                        in.height(), in.width()), t[0], t[1], t[0] / t[1], t[2], t[3], t[4]);
                        for (int i = 0; i < 2; i++) {
                            total[i] += t[i];
                        }
                        for (int i = 0; i < 3; i++) {
                            largestDifference[i] = Math.max(largestDifference[i], t[2 + i]);
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-34s %9.3f %9.3f %7.2fx   %.1e %.1e %.1e%n", "all of them", total[0],
                total[1], total[0] / total[1], largestDifference[0], largestDifference[1], largestDifference[2]);
    }

    /**
     * Milliseconds of forward and backward in float32 and through the bfloat16 module, then the largest
     * differences of the module's output, input gradient and weight gradient from those of the float32 convolution
     * of the same rounded values ({@link Bf16ConvModule.Arithmetic#FLOAT32_ON_ROUNDED}), each relative to that
     * array's largest entry: a correct kernel differs by its output's rounding, about 2^-8 = 3.9e-3.
     */
    private static double[] timeLayer(Engine engine, NDManager m, Bf16ConvModule bf16, ImageLayout layout,
                                      int batch, Dims in, Op.Conv2d c, int warmup, int runs) {
        // Keras "same" padding at stride 2 pads only after; the engine pads such an input before convolving
        // (Conv2dKernel), so the layer is timed on an input of the padded size with no padding of its own.
        boolean symmetric = c.symmetricPadding();
        long height = symmetric ? in.height() : in.height() + c.padTop() + c.padBottom();
        long width = symmetric ? in.width() : in.width() + c.padLeft() + c.padRight();
        NDArray x = layout.apply(m.randomNormal(new Shape(batch, in.channels(), height, width)));
        NDArray kernel = m.randomNormal(new Shape(c.filters(), in.channels() / c.groups(), c.kernelH(),
                c.kernelW())).mul(Math.sqrt(2.0 / (in.channels() / c.groups() * c.kernelH() * c.kernelW())));
        Shape stride = new Shape(c.strideH(), c.strideW());
        Shape pad = symmetric ? new Shape(c.padTop(), c.padLeft()) : new Shape(0, 0);
        NDArray bfloat16Spec = Bf16ConvModule.spec(m, stride, pad, c.groups(), Bf16ConvModule.Arithmetic.BFLOAT16);
        NDArray roundedSpec = Bf16ConvModule.spec(m, stride, pad, c.groups(),
                Bf16ConvModule.Arithmetic.FLOAT32_ON_ROUNDED);
        BiFunction<NDArray, NDArray, NDArray> float32 = (input, weights) -> Conv2d.conv2d(input, weights, null,
                stride, pad, new Shape(1, 1), c.groups()).singletonOrThrow();
        BiFunction<NDArray, NDArray, NDArray> bfloat16 = (input, weights) -> bf16.conv2d(input, weights,
                bfloat16Spec);
        BiFunction<NDArray, NDArray, NDArray> rounded = (input, weights) -> bf16.conv2d(input, weights, roundedSpec);
        NDArray output = float32.apply(x, kernel);
        NDArray upstream = layout.apply(m.randomNormal(output.getShape()));
        double loss = trainMs(engine, warmup, runs, upstream, () -> leaf(output));
        double f32 = trainMs(engine, warmup, runs, upstream, () -> float32.apply(leaf(x), leaf(kernel))) - loss;
        double b16 = trainMs(engine, warmup, runs, upstream, () -> bfloat16.apply(leaf(x), leaf(kernel))) - loss;
        double[] result = {f32, b16, 0, 0, 0};
        NDArray[] reference = gradients(engine, rounded, x, kernel, upstream);
        NDArray[] candidate = gradients(engine, bfloat16, x, kernel, upstream);
        for (int i = 0; i < reference.length; i++) {
            result[2 + i] = candidate[i].sub(reference[i]).abs().max().getFloat()
                    / reference[i].abs().max().getFloat();
        }
        return result;
    }

    /** The output, the input's gradient and the kernel's gradient, with {@code upstream} as the output's gradient. */
    static NDArray[] gradients(Engine engine, BiFunction<NDArray, NDArray, NDArray> conv, NDArray x,
                                       NDArray kernel, NDArray upstream) {
        NDArray input = leaf(x);
        NDArray weights = leaf(kernel);
        NDArray output;
        try (GradientCollector gc = engine.newGradientCollector()) {
            output = conv.apply(input, weights);
            gc.backward(output.mul(upstream).sum());
        }
        return new NDArray[] {output, input.getGradient(), weights.getGradient()};
    }

    /** {@code avx512_bf16} and {@code amx_bf16} as /proc/cpuinfo lists them, or "none". */
    private static String bf16Flags() {
        Set<String> flags = CpuFlags.thisCpu();
        if (flags.isEmpty()) {
            return "unknown (no /proc/cpuinfo)";
        }
        StringBuilder found = new StringBuilder();
        for (String flag : new String[] {"avx512_bf16", "amx_bf16"}) {
            if (flags.contains(flag)) {
                found.append(found.length() == 0 ? "" : ", ").append(flag);
            }
        }
        return found.length() == 0 ? "none (libtorch emulates them; expect a slowdown)" : found.toString();
    }
}
