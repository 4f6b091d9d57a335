package io.cnnbench.core.onnx;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How an exported model compares with the trained model it came from, over a whole split.
 *
 * @param file          the ONNX file that was run
 * @param maxAbsDiff    largest |ONNX logit − trained-model logit| over all images and classes (NaN if either
 *                      produced a non-finite value)
 * @param maxAbsLogit   largest |logit| of the trained model, the scale the difference is judged against
 * @param top1Agreement fraction of images on which both pick the same class
 * @param testAccuracy  top-1 accuracy of the ONNX model against the labels
 * @param passed        whether the difference and the agreement are within the tolerances
 * @param message       what was compared and, when it failed, which limit was exceeded by how much
 */
public record OnnxCheckResult(Path file, long images, double maxAbsDiff, double maxAbsLogit, double top1Agreement,
                              double testAccuracy, boolean passed, String message) {

    /** The run-record columns: onnx_file, onnx_max_abs_diff, onnx_max_abs_logit, onnx_top1_agreement, onnx_test_accuracy. */
    public Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("onnx_file", file.toString());
        c.put("onnx_max_abs_diff", String.format(Locale.ROOT, "%.6g", maxAbsDiff));
        c.put("onnx_max_abs_logit", String.format(Locale.ROOT, "%.6g", maxAbsLogit));
        c.put("onnx_top1_agreement", String.format(Locale.ROOT, "%.6f", top1Agreement));
        c.put("onnx_test_accuracy", String.format(Locale.ROOT, "%.6f", testAccuracy));
        return c;
    }

    /** This result, or an {@link IllegalStateException} carrying {@link #message()} when it did not pass. */
    public OnnxCheckResult requirePassed() {
        if (!passed) {
            throw new IllegalStateException(message);
        }
        return this;
    }
}
