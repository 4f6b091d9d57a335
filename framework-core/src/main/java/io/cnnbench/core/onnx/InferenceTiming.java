package io.cnnbench.core.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Inference speed of the trained model on the PyTorch engine and of its export in ONNX Runtime, measured the
 * same way in the same process: latency of one image and throughput of a large batch, each the median over
 * timed runs after untimed warm-up runs. Inputs are fixed random images; every run reads its result back to
 * the host, so asynchronous devices are timed to completion.
 */
public final class InferenceTiming {

    /**
     * @param warmupRuns      untimed runs before each measurement
     * @param latencyRuns     timed runs at batch 1
     * @param throughputRuns  timed runs at {@code throughputBatch}
     * @param throughputBatch images per throughput run
     */
    public record Settings(int warmupRuns, int latencyRuns, int throughputRuns, int throughputBatch) {
        public static final Settings DEFAULT = new Settings(10, 100, 10, 256);

        public Settings {
            if (warmupRuns < 0 || latencyRuns < 1 || throughputRuns < 1 || throughputBatch < 1) {
                throw new IllegalArgumentException("timing needs at least one timed run and a positive batch;"
                        + " got warm-up " + warmupRuns + ", latency runs " + latencyRuns + ", throughput runs "
                        + throughputRuns + ", batch " + throughputBatch);
            }
        }
    }

    /**
     * @param engine                    {@code PyTorch} or {@code OnnxRuntime}
     * @param latencyMs                 median milliseconds for one image
     * @param throughputImagesPerSecond images per second at the throughput batch (from the median run)
     */
    public record EngineTiming(String engine, double latencyMs, double throughputImagesPerSecond) {
    }

    /** Both engines, measured with the same settings; ONNX Runtime with {@code onnxRuntimeThreads} intra-op threads. */
    public record Result(EngineTiming pytorch, EngineTiming onnxRuntime, Settings settings, int onnxRuntimeThreads) {

        /** Run-record columns: pytorch_latency_ms, pytorch_images_per_s, onnx_latency_ms, onnx_images_per_s. */
        public Map<String, String> columns() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("pytorch_latency_ms_batch1", String.format(Locale.ROOT, "%.4f", pytorch.latencyMs()));
            c.put("pytorch_images_per_second_batch256", String.format(Locale.ROOT, "%.1f", pytorch.throughputImagesPerSecond()));
            c.put("onnx_latency_ms_batch1", String.format(Locale.ROOT, "%.4f", onnxRuntime.latencyMs()));
            c.put("onnx_images_per_second_batch256", String.format(Locale.ROOT, "%.1f", onnxRuntime.throughputImagesPerSecond()));
            return c;
        }
    }

    private InferenceTiming() {
    }

    /**
     * Loads {@code onnxFile} and times it and {@code network}. Against a network on the CPU, ONNX Runtime gets
     * as many intra-op threads as the PyTorch engine has, so the two are timed on equal terms.
     */
    public static Result measure(Network network, Path onnxFile, Settings settings) throws IOException {
        int threads = network.device().isGpu() ? OnnxRuntimeModel.processorThreads() : Engines.cpuThreads();
        try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(onnxFile, threads)) {
            return measure(network, ort, settings);
        }
    }

    public static Result measure(Network network, OnnxRuntimeModel ort, Settings settings) {
        Dims in = network.graph().inputShape();
        EngineTiming pt = time("PyTorch", network.manager(), in, settings,
                x -> network.forward(x, false));
        EngineTiming onnx = time(OnnxRuntimeModel.ENGINE, ort.manager(), in, settings, ort::forward);
        return new Result(pt, onnx, settings, ort.intraOpThreads());
    }

    private static EngineTiming time(String engine, NDManager owner, Dims in, Settings s,
                                     UnaryOperator<NDArray> forward) {
        try (NDManager m = owner.newSubManager()) {
            NDArray one = m.create(randomImages(1, in), new Shape(in.withBatch(1)));
            NDArray many = m.create(randomImages(s.throughputBatch(), in), new Shape(in.withBatch(s.throughputBatch())));
            double latency = medianSeconds(m, one, forward, s.warmupRuns(), s.latencyRuns());
            double batchSeconds = medianSeconds(m, many, forward, s.warmupRuns(), s.throughputRuns());
            return new EngineTiming(engine, latency * 1e3, s.throughputBatch() / batchSeconds);
        }
    }

    private static double medianSeconds(NDManager m, NDArray input, UnaryOperator<NDArray> forward, int warmup,
                                        int runs) {
        for (int i = 0; i < warmup; i++) {
            runOnce(m, input, forward);
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            runOnce(m, input, forward);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return runs % 2 == 1 ? seconds[runs / 2] : (seconds[runs / 2 - 1] + seconds[runs / 2]) / 2;
    }

    /** One forward pass, read back to the host, with its intermediates released. */
    private static void runOnce(NDManager m, NDArray input, UnaryOperator<NDArray> forward) {
        try (NDManager run = m.newSubManager()) {
            input.tempAttach(run);
            forward.apply(input).toFloatArray();
        }
    }

    private static float[] randomImages(int n, Dims in) {
        SplittableRandom r = new SplittableRandom(20_240_601L);
        float[] v = new float[Math.toIntExact(n * in.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
