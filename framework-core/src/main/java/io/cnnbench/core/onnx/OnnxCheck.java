package io.cnnbench.core.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.core.djl.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Runs an exported model in ONNX Runtime over a split and compares it, image by image, with the trained model
 * on the PyTorch engine. The difference allowed grows with the logits' magnitude, because float32 rounding
 * does: {@code maxAbsDiff ≤ relativeMaxAbsDiff × max(1, max |logit|)}.
 */
public final class OnnxCheck {

    /**
     * @param relativeMaxAbsDiff allowed max |difference| per unit of the largest |logit| (at least 1)
     * @param minTop1Agreement   smallest fraction of images on which both must pick the same class
     */
    public record Tolerances(double relativeMaxAbsDiff, double minTop1Agreement) {
        public static final Tolerances DEFAULT = new Tolerances(1e-4, 0.999);

        public Tolerances {
            if (!(relativeMaxAbsDiff > 0)) {
                throw new IllegalArgumentException("the relative logit tolerance must be positive, got "
                        + relativeMaxAbsDiff);
            }
            if (!(minTop1Agreement >= 0 && minTop1Agreement <= 1)) {
                throw new IllegalArgumentException("the top-1 agreement threshold is a fraction in [0, 1], got "
                        + minTop1Agreement);
            }
        }
    }

    /**
     * One batch of the split.
     *
     * @param images {@code size × C × H × W} normalised floats in NCHW order (longer arrays are read up to that)
     * @param labels the class of each image
     * @param size   the number of images
     * @param trainedLogits the trained model's class scores for these images ({@code size × classes}) when they
     *                      were already computed on the same engine (the test evaluation), or null to compute
     *                      them here
     */
    public record Batch(float[] images, int[] labels, int size, float[] trainedLogits) {
        public Batch {
            if (size < 1 || labels.length < size) {
                throw new IllegalArgumentException("a batch of " + size + " images needs " + size + " labels, got "
                        + labels.length);
            }
        }

        public Batch(float[] images, int[] labels, int size) {
            this(images, labels, size, null);
        }
    }

    /** No number of images required: whatever the batches hold is compared. */
    private static final long ANY_NUMBER = -1;

    private final Tolerances tolerances;

    public OnnxCheck() {
        this(Tolerances.DEFAULT);
    }

    public OnnxCheck(Tolerances tolerances) {
        this.tolerances = tolerances;
    }

    public Tolerances tolerances() {
        return tolerances;
    }

    /** Loads {@code onnxFile} into ONNX Runtime and compares it with {@code network} on every batch. */
    public OnnxCheckResult run(Path onnxFile, Network network, Iterator<Batch> batches) throws IOException {
        return run(onnxFile, network, batches, ANY_NUMBER);
    }

    /**
     * As {@link #run(Path, Network, Iterator)}, and the check fails unless the batches held exactly
     * {@code requiredImages} images: a run checks its file on the whole test split, and a stream that ended early
     * would otherwise pass on part of it.
     */
    public OnnxCheckResult run(Path onnxFile, Network network, Iterator<Batch> batches, long requiredImages)
            throws IOException {
        try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(onnxFile)) {
            return run(ort, network, batches, requiredImages);
        }
    }

    /** Compares an already loaded model with {@code network} on every batch. */
    public OnnxCheckResult run(OnnxRuntimeModel ort, Network network, Iterator<Batch> batches) {
        return run(ort, network, batches, ANY_NUMBER);
    }

    private OnnxCheckResult run(OnnxRuntimeModel ort, Network network, Iterator<Batch> batches,
                                long requiredImages) {
        Dims in = network.graph().inputShape();
        Dims out = network.graph().outputNode().outputShape();
        if (out.rank() != 1) {
            throw new IllegalArgumentException("the ONNX check compares class scores (N, classes); "
                    + network.graph().name() + " outputs " + out.withBatchToString());
        }
        int classes = out.channels();
        int perImage = Math.toIntExact(in.size());
        String declared = ort.interfaceMismatch(OnnxExporter.INPUT_NAME, in, OnnxExporter.OUTPUT_NAME, out);
        if (declared != null) {
            throw new IllegalStateException(declared + ": the file is not what cnnbench exports for "
                    + network.graph().name() + ", whose users read its input and output by name and shape");
        }
        long images = 0;
        long agree = 0;
        long correct = 0;
        double maxDiff = 0;
        double maxLogit = 0;
        boolean finite = true;
        while (batches.hasNext()) {
            Batch b = batches.next();
            int n = b.size();
            if (b.images().length < (long) n * perImage) {
                throw new IllegalArgumentException("a batch of " + n + " images of " + in + " needs "
                        + (long) n * perImage + " floats, got " + b.images().length);
            }
            float[] pixels = b.images().length == n * perImage ? b.images()
                    : java.util.Arrays.copyOf(b.images(), n * perImage);
            Shape shape = new Shape(in.withBatch(n));
            float[] expected = b.trainedLogits();
            if (expected == null) {
                try (NDManager m = network.manager().newSubManager()) {
                    NDArray logits = network.forward(m.create(pixels, shape), false);
                    expected = logits.toFloatArray();
                }
            } else if (expected.length != n * classes) {
                throw new IllegalArgumentException("a batch of " + n + " images needs " + n * classes
                        + " trained logits, got " + expected.length);
            }
            float[] actual;
            try (NDManager m = ort.manager().newSubManager()) {
                NDArray computed = ort.forward(m.create(pixels, shape));
                if (!computed.getShape().equals(new Shape(n, classes))) {
                    throw new IllegalStateException(ort.file() + " gives " + computed.getShape() + " for " + n
                            + " images, not (" + n + ", " + classes + "): the file is not this network");
                }
                actual = computed.toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                int base = i * classes;
                int bestExpected = 0;
                int bestActual = 0;
                for (int c = 0; c < classes; c++) {
                    float e = expected[base + c];
                    float a = actual[base + c];
                    if (!Float.isFinite(e) || !Float.isFinite(a)) {
                        finite = false;
                    }
                    maxDiff = Math.max(maxDiff, Math.abs((double) a - e));
                    maxLogit = Math.max(maxLogit, Math.abs(e));
                    if (e > expected[base + bestExpected]) {
                        bestExpected = c;
                    }
                    if (a > actual[base + bestActual]) {
                        bestActual = c;
                    }
                }
                if (bestExpected == bestActual) {
                    agree++;
                }
                if (bestActual == b.labels()[i]) {
                    correct++;
                }
            }
            images += n;
        }
        if (images == 0) {
            throw new IllegalArgumentException("the ONNX check got no images; give it the test split");
        }
        if (!finite) {
            maxDiff = Double.NaN;
        }
        double agreement = (double) agree / images;
        double accuracy = (double) correct / images;
        double limit = tolerances.relativeMaxAbsDiff() * Math.max(1, maxLogit);
        List<String> failures = new ArrayList<>();
        if (requiredImages != ANY_NUMBER && images != requiredImages) {
            failures.add("it compared " + images + " images where " + requiredImages + " were to be compared; it"
                    + " passes only on all of them");
        }
        if (!finite) {
            failures.add("a logit is NaN or infinite");
        } else if (maxDiff > limit) {
            failures.add(String.format(Locale.ROOT, "logits differ by up to %.3g, above the limit %.3g", maxDiff,
                    limit));
        }
        if (agreement < tolerances.minTop1Agreement()) {
            failures.add(String.format(Locale.ROOT, "top-1 agreement %.3f%% is below the minimum %.3f%%",
                    100 * agreement, 100 * tolerances.minTop1Agreement()));
        }
        String summary = String.format(Locale.ROOT, "ONNX Runtime vs PyTorch engine on %d images of %s: max |logit"
                        + " diff| %.3g (limit %.3g = %.3g × max(1, max |logit| %.4g)), top-1 agreement %.3f%% (min"
                        + " %.3f%%), ONNX test accuracy %.3f%%", images, ort.file(), maxDiff, limit,
                tolerances.relativeMaxAbsDiff(), maxLogit, 100 * agreement, 100 * tolerances.minTop1Agreement(),
                100 * accuracy);
        String message = failures.isEmpty() ? summary + ": passed"
                : "ONNX export of " + network.graph().name() + " FAILED: " + String.join("; ", failures) + ". "
                + summary + ". The exported model does not compute what was trained; set the tolerances"
                + " only if the difference is understood.";
        return new OnnxCheckResult(ort.file(), images, maxDiff, maxLogit, agreement, accuracy, failures.isEmpty(),
                message);
    }
}
