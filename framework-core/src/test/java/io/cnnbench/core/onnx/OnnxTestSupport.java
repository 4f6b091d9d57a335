package io.cnnbench.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnnbench.api.graph.ConvSpec;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.core.djl.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Shared by the ONNX tests: small graphs, non-trivial weights and the official checker where installed. */
final class OnnxTestSupport {
    /** The notebook's CIFAR-10 normalisation (0..255 scale). */
    static final double[] MEAN = {125.30691805, 122.95039414, 113.86538318};
    static final double[] STD = {62.99321928, 62.08870764, 66.70489964};

    private OnnxTestSupport() {
    }

    static ModelMetadata metadata(String architecture) {
        return ModelMetadata.of(architecture, MEAN, STD, ModelMetadata.CIFAR10_CLASSES);
    }

    /**
     * A tiny classifier that uses every operation once or more: grouped stride-2 convolution with Keras'
     * asymmetric padding, batch-norm, all activations, parallel paths summed, an 8-input add, squeeze-excite,
     * both pooling forms, reshape, dropout and dense. Its parameter names are the stable names the fixture
     * pins.
     */
    @SuppressWarnings("try") // a naming scope is closed, never read
    static Graph tinyAllOpsNetwork() {
        Graph g = new Graph("tiny-all-ops", Dims.of(3, 8, 8));
        Tensor x;
        try (Graph.Scope s = g.scope("tail")) {
            x = g.conv2d(g.input(), ConvSpec.of(8, 3).bias(true));
            x = g.relu(g.batchNorm(x));
        }
        try (Graph.Scope s = g.scope("block0")) {
            Tensor paths = g.conv2d(x, ConvSpec.of(16, 3).stride(2).groups(2), "paths_conv");
            paths = g.relu6(g.batchNorm(paths));
            Tensor summed = g.sumPaths(paths, 2);
            Tensor shortcut = g.conv2d(x, ConvSpec.of(8, 1).stride(2), "shortcut");
            List<Tensor> rest = new ArrayList<>(List.of(shortcut));
            for (int i = 0; i < 6; i++) {
                rest.add(g.conv2d(summed, ConvSpec.of(8, 1), "branch"));
            }
            x = g.add(summed, rest.toArray(new Tensor[0]));
            x = g.hardSwish(x);
        }
        try (Graph.Scope s = g.scope("se")) {
            Tensor squeeze = g.globalAvgPool(x, true);
            squeeze = g.conv2d(squeeze, ConvSpec.of(4, 1).bias(true), "reduce");
            squeeze = g.relu(squeeze);
            squeeze = g.conv2d(squeeze, ConvSpec.of(8, 1).bias(true), "expand");
            x = g.multiply(x, g.hardSigmoid(squeeze));
        }
        try (Graph.Scope s = g.scope("head")) {
            Tensor pooled = g.globalAvgPool(x, false);
            Tensor gate = g.sigmoid(g.reshape(pooled, 8, 1, 1));
            Tensor flat = g.reshape(gate, 8);
            flat = g.batchNorm(g.add(flat, pooled));
            flat = g.dropout(flat, 0.2);
            g.setOutput(g.dense(flat, 10, true));
        }
        return g;
    }

    /**
     * Replaces the seeded initial values with random ones of each role's usual range, so every parameter
     * (biases, batch-norm shift and running statistics included) affects the output.
     */
    static void randomiseParameters(Network net, long seed) {
        Random r = new Random(seed);
        for (ParamSpec p : net.graph().parameters()) {
            float[] v = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < v.length; i++) {
                double gauss = r.nextGaussian();
                switch (p.kind()) {
                    case WEIGHT -> v[i] = (float) (gauss * Math.sqrt(2.0 / p.fanIn()));
                    case BIAS, BETA -> v[i] = (float) (0.3 * gauss);
                    case GAMMA -> v[i] = (float) (1 + 0.3 * gauss);
                    case RUNNING_MEAN -> v[i] = (float) (0.5 * gauss);
                    case RUNNING_VAR -> v[i] = (float) (0.3 + r.nextDouble());
                    default -> throw new IllegalArgumentException(p.kind().toString());
                }
            }
            net.setParameter(p.name(), v);
        }
    }

    static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "output sizes differ");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            m = Math.max(m, d);
        }
        return m;
    }

    /** A Python that can import the official {@code onnx} package (Debian's python3-onnx), or null. */
    static String pythonWithOnnx() {
        for (String python : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import onnx").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // Not installed under this name; try the next.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /**
     * Runs {@code onnx.checker.check_model(model, full_check=True)} (structure plus strict shape inference) on
     * every file; skips when the official package is not installed (apt-get install python3-onnx).
     */
    static String assertOfficialCheckerAccepts(List<Path> files) throws IOException, InterruptedException {
        String python = pythonWithOnnx();
        assumeTrue(python != null, "the official ONNX checker is not installed (apt-get install python3-onnx)");
        List<String> cmd = new ArrayList<>(List.of(python, "-c", String.join("\n",
                "import sys, onnx",
                "for f in sys.argv[1:]:",
                "    onnx.checker.check_model(onnx.load(f), full_check=True)",
                "print('onnx', onnx.__version__, 'checker accepted', len(sys.argv) - 1, 'models')")));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the official ONNX checker did not finish in 300 s");
        }
        assertEquals(0, p.exitValue(), "the official ONNX checker rejected a model:\n" + out);
        return out.trim();
    }
}
