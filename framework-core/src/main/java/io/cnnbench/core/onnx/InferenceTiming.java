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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Inference speed of the trained model on the PyTorch engine and of its export in ONNX Runtime, measured the
 * same way in the same process: latency of one image and throughput of a large batch, each the median over
 * timed runs after untimed warm-up runs, the two engines timed in alternating rounds (see
 * {@link #interleavedMedianNanos}). Inputs are fixed random images; every run reads its result back to the host,
 * so asynchronous devices are timed to completion.
 */
public final class InferenceTiming {
    /**
     * Rounds the timed runs are split into, each timing both engines. Even, so that with the order alternating
     * each engine goes first as often as second, and a steady drift shifts both medians alike.
     */
    static final int ROUNDS = 4;

    /**
     * @param warmupRuns      untimed runs of each engine before each measurement (when above zero, each round's
     *                        block also starts with one untimed run)
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
        /** A timing is a positive, finite duration: a clock that did not move would put "Infinity" in results.csv. */
        public EngineTiming {
            if (!(latencyMs > 0 && Double.isFinite(latencyMs) && throughputImagesPerSecond > 0
                    && Double.isFinite(throughputImagesPerSecond))) {
                throw new IllegalStateException(engine + " timed at " + latencyMs + " ms per image and "
                        + throughputImagesPerSecond + " images/s: not a measurement (the clock did not advance);"
                        + " rerun, or leave the timing out with -Dcnn.inferenceTiming=false");
            }
        }
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
        try (Inputs pt = new Inputs(network.manager(), in, settings);
             Inputs onnx = new Inputs(ort.manager(), in, settings)) {
            UnaryOperator<NDArray> ptForward = x -> network.forward(x, false);
            UnaryOperator<NDArray> ortForward = ort::forward;
            LongSupplier clock = System::nanoTime;
            double[] latency = interleavedMedianNanos(List.of(
                    () -> runOnce(pt.manager, pt.one, ptForward), () -> runOnce(onnx.manager, onnx.one, ortForward)),
                    settings.warmupRuns(), settings.latencyRuns(), clock);
            double[] batch = interleavedMedianNanos(List.of(
                    () -> runOnce(pt.manager, pt.many, ptForward), () -> runOnce(onnx.manager, onnx.many, ortForward)),
                    settings.warmupRuns(), settings.throughputRuns(), clock);
            int b = settings.throughputBatch();
            return new Result(new EngineTiming("PyTorch", latency[0] / 1e6, b / (batch[0] / 1e9)),
                    new EngineTiming(OnnxRuntimeModel.ENGINE, latency[1] / 1e6, b / (batch[1] / 1e9)),
                    settings, ort.intraOpThreads());
        }
    }

    /** One engine's fixed inputs, a batch of one and a throughput batch, in a sub-manager of the engine's own. */
    private static final class Inputs implements AutoCloseable {
        final NDManager manager;
        final NDArray one;
        final NDArray many;

        Inputs(NDManager owner, Dims in, Settings s) {
            manager = owner.newSubManager();
            one = manager.create(randomImages(1, in), new Shape(in.withBatch(1)));
            many = manager.create(randomImages(s.throughputBatch(), in), new Shape(in.withBatch(s.throughputBatch())));
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /**
     * Median nanoseconds of each engine's run, with the engines timed in turn rather than one after the other. A
     * virtual machine's speed drifts by tens of per cent within a minute; timed one after the other, the engines
     * would be measured at different speeds and their ratio would carry the drift. So the timed runs are split
     * into up to {@value #ROUNDS} rounds; each round times every engine, in an order that alternates between
     * rounds, and each of its blocks starts with one untimed run (when warm-up is asked for) so that the engine
     * whose thread pool went idle while the other ran is not timed waking it.
     *
     * @param engines  one run of each engine
     * @param warmup   untimed runs of each engine before the first round
     * @param runs     timed runs of each engine, all of them in the median
     * @param clock    nanoseconds
     * @return each engine's median, in the order given
     */
    static double[] interleavedMedianNanos(List<Runnable> engines, int warmup, int runs, LongSupplier clock) {
        int rounds = Math.min(ROUNDS, runs);
        double[][] nanos = new double[engines.size()][runs];
        int[] taken = new int[engines.size()];
        for (Runnable engine : engines) {
            for (int i = 0; i < warmup; i++) {
                engine.run();
            }
        }
        for (int round = 0; round < rounds; round++) {
            int inRound = runs / rounds + (round < runs % rounds ? 1 : 0);
            for (int k = 0; k < engines.size(); k++) {
                int e = round % 2 == 0 ? k : engines.size() - 1 - k;
                if (warmup > 0) {
                    engines.get(e).run();
                }
                for (int i = 0; i < inRound; i++) {
                    long start = clock.getAsLong();
                    engines.get(e).run();
                    nanos[e][taken[e]++] = clock.getAsLong() - start;
                }
            }
        }
        double[] medians = new double[engines.size()];
        for (int e = 0; e < engines.size(); e++) {
            medians[e] = median(nanos[e]);
        }
        return medians;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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
