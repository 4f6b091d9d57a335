package io.cnnbench.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.cifar.CifarDataset;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.cifar.ImageSet;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.GraphBlock;
import io.cnnbench.core.djl.ImageLayout;
import io.cnnbench.core.djl.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a training step's time goes on this CPU, evaluation by evaluation. Every evaluation of the forward pass
 * ({@link GraphBlock#evaluations()}: a node, or a fused run, computed by the same {@link GraphBlock#evaluate} that
 * training calls) is timed alone, on the inputs it gets from a real training batch, at the training batch size and
 * layout: its forward pass, and its backward pass to its inputs and trainable parameters. The figures are summed per
 * form (the operation's kind, a fused path expansion, a 1×1 convolution as matrix product). Whole training steps of
 * the same network (forward, backward and the Adam update) are measured in the same run, as the reference the sum is
 * a ratio to. The sum leaves out the loss and the Adam update, and each evaluation timed alone meets different caches
 * and allocations than inside a step, so the sum is not a step's time (0.7-0.9x of it on the Zen 5 it was written on): the
 * shares, not the milliseconds, are what to compare.
 *
 * <p>Each backward figure is the forward and backward pass minus the forward pass and minus the loss that drives it
 * (the output times a fixed random upstream gradient in the output's layout, summed, timed alone on a leaf of that
 * shape); each run gets fresh copies of its inputs and parameters, made outside the timed part, so a gradient is
 * handed over rather than added to the previous run's, as inside a network. All figures are medians over {@code runs}
 * after {@code warmup} untimed runs. Arguments are key=value: {@code architecture=resnext-seed batch=64
 * layout=channels-last warmup=3 runs=9 steps=10 csv=target/benchmarks/step-breakdown.csv}; the CSV has one row per
 * evaluation.
 */
public final class StepBreakdown {
    private StepBreakdown() {
    }

    public static void main(String[] args) {
        Map<String, String> a = BenchmarkArgs.parse(Map.of("architecture", "resnext-seed", "batch", "64",
                "layout", ImageLayout.defaultFor(Device.cpu()).toString(), "warmup", "3", "runs", "9",
                "steps", "10", "csv", "target/benchmarks/step-breakdown.csv"), args);
        int batch = Integer.parseInt(a.get("batch"));
        int warmup = Integer.parseInt(a.get("warmup"));
        int runs = Integer.parseInt(a.get("runs"));
        int steps = Integer.parseInt(a.get("steps"));
        ImageLayout layout = ImageLayout.parse(a.get("layout"));
        Graph graph = BenchmarkArgs.architecture(a.get("architecture"));
        Engine engine = Engines.pytorch();
        ImageSet train = CifarDataset.load(DataOptions.builder().dataset(DataOptions.SAMPLE).build()).train();
        List<Map<String, String>> rows = new ArrayList<>();
        try (Network net = Network.create(graph, 42, Device.cpu(), true, layout)) {
            double stepMs = batch * 1000.0
                    / SpeedBenchmark.trainingSpeed(net, train, batch, warmup, steps, 3).median();
            System.out.printf(Locale.ROOT, "%s, batch %d, %s, %d cores; milliseconds, medians of %d runs%n",
                    graph.name(), batch, layout, Runtime.getRuntime().availableProcessors(), runs);
            System.out.printf(Locale.ROOT, "%4s %-34s %-34s %-20s %8s %8s%n", "node", "name", "form", "output",
                    "forward", "backward");
            GraphBlock block = net.block();
            NDManager m = net.manager();
            float[] images = SpeedBenchmark.Batches.assemble(train, batch, 1).images().get(0);
            NDArray[] values = new NDArray[graph.nodes().size()];
            values[0] = layout.apply(m.create(images, new Shape(graph.inputShape().withBatch(batch))));
            Map<String, double[]> byForm = new LinkedHashMap<>();
            double[] total = new double[2];
            // Each activation is freed after its last reader, as in training (all of them at once would take
            // gigabytes at batch 64).
            for (GraphBlock.Evaluation e : block.evaluations()) {
                double[] t = time(engine, block, e, values, layout, warmup, runs);
                int id = e.node().id();
                for (int read : e.reads()) {
                    if (read != 0 && values[read] != null && block.lastReader(read) == id) {
                        values[read].close();
                        values[read] = null;
                    }
                }
                String shape = values[id].getShape().toString();
                System.out.printf(Locale.ROOT, "%4d %-34s %-34s %-20s %8.3f %8.3f%n", id, e.node().name(),
                        e.form(), shape, t[0], t[1]);
                double[] form = byForm.computeIfAbsent(e.form(), k -> new double[3]);
                for (int i = 0; i < 2; i++) {
                    form[i] += t[i];
                    total[i] += t[i];
                }
                form[2]++;
                Map<String, String> row = new LinkedHashMap<>();
                row.put("architecture", graph.name());
                row.put("layout", layout.toString());
                row.put("batch", Integer.toString(batch));
                row.put("node", Integer.toString(id));
                row.put("name", e.node().name());
                row.put("form", e.form());
                row.put("output_shape", shape);
                row.put("forward_ms", String.format(Locale.ROOT, "%.4f", t[0]));
                row.put("backward_ms", String.format(Locale.ROOT, "%.4f", t[1]));
                rows.add(row);
            }
            double sum = total[0] + total[1];
            System.out.printf(Locale.ROOT, "%n%-34s %6s %9s %9s %9s %7s%n", "form", "count", "forward",
                    "backward", "both", "share");
            byForm.forEach((form, t) -> System.out.printf(Locale.ROOT, "%-34s %6.0f %9.2f %9.2f %9.2f %6.1f%%%n",
                    form, t[2], t[0], t[1], t[0] + t[1], 100 * (t[0] + t[1]) / sum));
            System.out.printf(Locale.ROOT, "%-34s %6d %9.2f %9.2f %9.2f%n", "all evaluations, timed alone",
                    block.evaluations().size(), total[0], total[1], sum);
            System.out.printf(Locale.ROOT, "whole training step (forward, backward, Adam), measured in this run:"
                    + " %.2f ms; evaluations timed alone add up to %.2fx that%n", stepMs, sum / stepMs);
        }
        SpeedBenchmark.writeCsv(Path.of(a.get("csv")), rows);
        System.out.println("CSV: " + Path.of(a.get("csv")).toAbsolutePath());
    }

    /**
     * Runs {@code e} on fresh copies of its inputs (from {@code values}) and parameters, and stores its output in
     * {@code values} for the evaluations that read it; returns its forward and backward milliseconds.
     */
    private static double[] time(Engine engine, GraphBlock block, GraphBlock.Evaluation e, NDArray[] values,
                                 ImageLayout layout, int warmup, int runs) {
        NDManager m = values[0].getManager();
        NDArray output;
        try (NDScope scope = new NDScope()) {
            output = block.evaluate(e, inputs(e, values), parameters(e), true).duplicate();
            NDScope.unregister(output);
        }
        values[e.node().id()] = output;
        double[] forward = new double[runs];
        double[] both = new double[runs];
        double[] loss = new double[runs];
        // The upstream gradient lives in its own scope, so that it and its layout copy are freed with this layer.
        try (NDScope upstreamScope = new NDScope()) {
            upstreamScope.suppressNotUsedWarning();
            NDArray upstream = layout.apply(m.randomNormal(0, 1, output.getShape(), output.getDataType()));
            for (int r = -warmup; r < runs; r++) {
                try (NDScope scope = new NDScope()) {
                    List<NDArray> in = inputs(e, values);
                    List<NDArray> params = parameters(e);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        long t0 = System.nanoTime();
                        NDArray out = block.evaluate(e, in, params, true);
                        long t1 = System.nanoTime();
                        gc.backward(out.mul(upstream).sum());
                        long t2 = System.nanoTime();
                        if (r >= 0) {
                            forward[r] = (t1 - t0) / 1e6;
                            both[r] = (t2 - t0) / 1e6;
                        }
                    }
                }
                try (NDScope scope = new NDScope()) {
                    NDArray leaf = output.duplicate();
                    leaf.setRequiresGradient(true);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        long t0 = System.nanoTime();
                        gc.backward(leaf.mul(upstream).sum());
                        if (r >= 0) {
                            loss[r] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
            }
        }
        double f = Stats.of(forward).median();
        return new double[] {f, Math.max(0, Stats.of(both).median() - f - Stats.of(loss).median())};
    }

    /**
     * Copies of the arrays {@code e} reads; each copy of an activation requires a gradient, as it does inside a
     * network (the images do not: training asks for none). An input read twice is one copy, read twice.
     */
    private static List<NDArray> inputs(GraphBlock.Evaluation e, NDArray[] values) {
        Map<Integer, NDArray> copies = new HashMap<>();
        List<NDArray> in = new ArrayList<>();
        for (int id : e.reads()) {
            in.add(copies.computeIfAbsent(id, k -> {
                if (k == 0) {
                    return values[0];
                }
                NDArray copy = values[k].duplicate();
                copy.setRequiresGradient(true);
                return copy;
            }));
        }
        return in;
    }

    /** Copies of {@code e}'s parameters: trainable ones as leaves, running statistics as plain copies to update. */
    private static List<NDArray> parameters(GraphBlock.Evaluation e) {
        List<NDArray> params = new ArrayList<>();
        for (Parameter p : e.parameters()) {
            NDArray copy = p.getArray().duplicate();
            if (p.requiresGradient()) {
                copy.setRequiresGradient(true);
            }
            params.add(copy);
        }
        return params;
    }
}
