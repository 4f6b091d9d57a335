package io.cnnbench.core.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.cnnbench.api.graph.Graph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * Checks, before a network trains in channels-last, that libtorch computes it the same in channels-last as in
 * NCHW on this machine.
 *
 * <p>Why: on an AMD EPYC (Zen 5) with libtorch 2.7.1, oneDNN's float32 1×1 convolution in channels-last
 * ({@code brgconv_1x1:avx512_core}) gives wrong outputs and gradients when the number of output channels is not a
 * multiple of 16 (40 and 72 in {@code mobilenetv3-small}: 61–68 % of the largest output off), and so does a grouped
 * convolution with two outputs per input channel; the same layers in NCHW agree with a plain loop and with ONNX
 * Runtime (docs/performance.md, "Wrong convolutions in channels-last"). The same code is right on the Intel Xeons
 * this project ran on before. Training does not fail when it happens: it learns from wrong numbers, and only the
 * ONNX check at the end of the run notices, hours later. Where {@link #knownDefectPresent} finds the first defect,
 * {@link Network} computes dense 1×1 convolutions as matrix products instead, around the faulty kernel; this check
 * is what shows that the rest of the network is then right too. NCHW is no safe fallback on that CPU: its backward
 * pass to the input of convolutions with few channels (3 → 4, 4 → 8) returns NaN in some runs and not others. So a
 * disagreement fails the architecture before it trains ({@code BenchmarkRunner}), with this check's finding as the
 * reason.
 *
 * <p>How: the network is built twice from one seed, once per layout, and one batch of random images goes forward
 * (inference mode, so batch-norm and dropout are the same in both) and, where it has parameters, backward through
 * both; the logits and every parameter's gradient must agree within {@value #TOLERANCE} of the array's largest entry
 * (float rounding between the two layouts is 1e-6 or so).
 */
public final class LayoutCheck {
    static final double TOLERANCE = 1e-3;
    static final double BF16_PROBE_TOLERANCE = 3e-2;
    /** How a refusal names the known defect; CI's smoke run accepts a refused architecture only with these words. */
    public static final String KNOWN_DEFECT_MESSAGE = "This CPU shows the known libtorch 2.7.1 defect (its"
            + " channels-last 1x1 convolution to 40 channels is wrong against a plain loop; seen on AMD EPYC Zen 5,"
            + " docs/performance.md, 'Wrong convolutions in channels-last')";
    private static final int BATCH = 8;
    private static final long SEED = 20_261_202L;
    /** Per graph structure and fusion: the check's verdict does not change within a process. */
    private static final Map<String, Optional<String>> VERDICTS = new ConcurrentHashMap<>();

    private LayoutCheck() {
    }

    /**
     * What differs between the two layouts for {@code graph}, e.g. {@code "logits off by 61% of the largest
     * value"}; empty where everything agrees. Computed once per graph structure in a process.
     */
    public static Optional<String> disagreement(Graph graph, Device device, boolean fuse) {
        String key = device + "|" + fuse + "|" + graph.inputShape() + "|" + graph.nodes();
        return VERDICTS.computeIfAbsent(key, k -> compare(graph, device, fuse));
    }

    private static Optional<String> compare(Graph graph, Device device, boolean fuse) {
        return compare(graph, device, fuse, Network.pointwiseAsMatrixProduct(device, ImageLayout.CHANNELS_LAST));
    }

    /**
     * As {@link #disagreement}, not cached, with the channels-last network's dense 1×1 convolutions run as matrix
     * products or not, as given (the NCHW network never does).
     */
    static Optional<String> compare(Graph graph, Device device, boolean fuse, boolean pointwiseAsMatrixProduct) {
        int differing = 0;
        String first = null;
        for (Map.Entry<String, Double> e : relativeDifferences(graph, device, fuse, pointwiseAsMatrixProduct)
                .entrySet()) {
            if (!(e.getValue() <= TOLERANCE)) {
                differing++;
                if (first == null) {
                    first = String.format(Locale.ROOT, "%s off by %.2g%% of the largest value", e.getKey(),
                            100 * e.getValue());
                }
            }
        }
        return first == null ? Optional.empty()
                : Optional.of(first + (differing > 1 ? " and " + (differing - 1) + " more arrays" : ""));
    }

    /**
     * The largest difference between the layouts of the logits and of each parameter's gradient, relative to the
     * array's largest entry, in order (logits first).
     */
    static Map<String, Double> relativeDifferences(Graph graph, Device device, boolean fuse,
                                                   boolean pointwiseAsMatrixProduct) {
        Shape shape = new Shape(graph.inputShape().withBatch(BATCH));
        float[] images = gaussian(Math.toIntExact(shape.size()), SEED);
        Engine engine = Engines.pytorch();
        try (Network nchw = Network.create(graph, SEED, device, fuse, ImageLayout.NCHW, false);
             Network channelsLast = Network.create(graph, SEED, device, fuse, ImageLayout.CHANNELS_LAST,
                     pointwiseAsMatrixProduct)) {
            List<Pair<String, NDArray>> reference = logitsAndGradients(engine, nchw, images, shape);
            List<Pair<String, NDArray>> candidate = logitsAndGradients(engine, channelsLast, images, shape);
            Map<String, Double> differences = new LinkedHashMap<>();
            for (int i = 0; i < reference.size(); i++) {
                NDArray want = reference.get(i).getValue();
                double scale = Math.max(want.abs().max().getFloat(), Float.MIN_NORMAL);
                differences.put(reference.get(i).getKey(),
                        candidate.get(i).getValue().sub(want).abs().max().getFloat() / scale);
            }
            return differences;
        }
    }

    /**
     * How far the probe's convolution may be from the exact sums: {@value #TOLERANCE} of the largest in float32;
     * where this process's convolutions round their inputs to bfloat16 ({@link Precision}), whose rounding is 2^-9 of
     * each value (0.26 % of the largest of these 96-term sums on an AMX Xeon), {@value #BF16_PROBE_TOLERANCE}. The defect
     * puts outputs 60 % and more off, which both catch. The two layouts of a network need no such allowance: both
     * round the same values the same way and differ by a few 1e-6 in bf16 as in float32 (docs/performance.md).
     */
    static double probeTolerance() {
        return Precision.ofThisProcess() == Precision.BF16 ? BF16_PROBE_TOLERANCE : TOLERANCE;
    }

    /**
     * Whether this CPU shows the libtorch defect described above: a 1×1 convolution from 96 to 40 channels on 7×7
     * images in channels-last, against the sums it should compute, in plain Java. A disagreement where this is false
     * is not the known defect, and is more likely a fault of this code.
     */
    public static boolean knownDefectPresent() {
        return KnownDefect.PRESENT;
    }

    /** Probed once, on first use (the class initialises lazily and exactly once). */
    private static final class KnownDefect {
        static final boolean PRESENT = pointwiseConvolutionIsWrongInChannelsLast();

        static {
            if (PRESENT) {
                LoggerFactory.getLogger(LayoutCheck.class).info("This CPU shows the known libtorch 2.7.1 defect:"
                        + " its channels-last 1x1 convolution to 40 channels is wrong against a plain loop. Dense 1x1"
                        + " convolutions run as matrix products here instead (docs/performance.md, 'Wrong"
                        + " convolutions in channels-last').");
            }
        }
    }

    private static boolean pointwiseConvolutionIsWrongInChannelsLast() {
        int batch = 4;
        int in = 96;
        int out = 40;
        int plane = 7 * 7;
        float[] x = gaussian(batch * in * plane, SEED);
        float[] w = gaussian(out * in, SEED + 1);
        float[] y;
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Engines.PYTORCH)) {
            y = Conv2d.conv2d(ImageLayout.CHANNELS_LAST.apply(m.create(x, new Shape(batch, in, 7, 7))),
                    m.create(w, new Shape(out, in, 1, 1))).singletonOrThrow().toFloatArray();
        }
        double largest = 0;
        double worst = 0;
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int p = 0; p < plane; p++) {
                    double sum = 0;
                    for (int c = 0; c < in; c++) {
                        sum += (double) x[(n * in + c) * plane + p] * w[o * in + c];
                    }
                    largest = Math.max(largest, Math.abs(sum));
                    worst = Math.max(worst, Math.abs(sum - y[(n * out + o) * plane + p]));
                }
            }
        }
        return !(worst <= probeTolerance() * largest);
    }

    /**
     * The logits of one batch (inference mode, so batch-norm and dropout are the same in both networks), and the
     * gradient of every parameter for a fixed upstream gradient, named.
     */
    private static List<Pair<String, NDArray>> logitsAndGradients(Engine engine, Network net, float[] images,
                                                                  Shape shape) {
        NDManager m = net.manager();
        NDArray logits;
        // No gradient for the images: training asks for none, and NCHW's backward pass to a 3-channel input is
        // one of the unreliable ones on the CPU above.
        NDArray input = m.create(images, shape);
        boolean trainable = net.graph().trainableParameters() > 0;
        try (GradientCollector gc = engine.newGradientCollector()) {
            logits = net.forward(input, false);
            if (!trainable) {
                return List.of(new Pair<>("logits", logits));
            }
            float[] upstream = gaussian(Math.toIntExact(logits.getShape().size()), SEED + 1);
            gc.backward(logits.mul(m.create(upstream, logits.getShape())).sum());
        }
        List<Pair<String, NDArray>> arrays = new ArrayList<>();
        arrays.add(new Pair<>("logits", logits));
        for (Pair<String, Parameter> p : net.block().getParameters()) {
            NDArray value = p.getValue().getArray();
            if (value.hasGradient()) {
                arrays.add(new Pair<>("gradient of " + p.getKey(), value.getGradient()));
            }
        }
        return arrays;
    }

    /** {@code n} standard normal values from {@code seed}: the same inputs in every process. */
    private static float[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
