package io.cnnbench.core.onnx;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which graph the exporter writes. Both compute the same logits (within float rounding); the setting
 * {@code cnn.onnxForm} picks one and the file records it under {@value OnnxExporter#KEY_ONNX_FORM}.
 */
public enum OnnxForm {
    /**
     * The default: batch-norm folded into the convolution or dense layer before it, and each ResNeXt path
     * expansion (grouped 1×1 convolution, batch-norm, sum over paths) written as one dense 1×1 convolution
     * (see {@link InferenceFolding}). Fewer nodes, no {@code P·C}-channel tensor; the folded weights are new
     * initializers, so the trained parameters are not all in the file under their own names.
     */
    INFERENCE,
    /** Node by node as the graph declares it: every parameter an initializer under its graph name. */
    TRAINING;

    /** The setting's spelling: {@code inference} or {@code training}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The form spelt {@code value} (case-insensitive). */
    public static OnnxForm parse(String value) {
        for (OnnxForm f : values()) {
            if (f.settingValue().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("must be " + String.join(" or ", Arrays.stream(values())
                .map(OnnxForm::settingValue).toList()));
    }

    @Override
    public String toString() {
        return settingValue();
    }
}
