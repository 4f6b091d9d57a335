package io.cnnbench.core.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named presets of settings ({@code cnn.protocol}). A preset only fills settings the user left unset, so
 * {@code -Dcnn.protocol=ci -Dcnn.epochs=3} is the CI protocol with three epochs.
 *
 * <p>{@code ci}: a strong accuracy signal per CPU-minute on a 2-core runner: one pass over the first 24,000
 * training images (5.6 minutes of training per seed for resnext-seed on this project's 2-core machine), Adam at a peak of
 * 2e-3 on the per-step schedule (warm-up over the first sixth of the steps, cosine to 1% at the last), and every
 * residual branch's last batch-norm scale starting at 0. Measured in docs/regression-tracking.md: resnext-seed
 * scored 0.489 at 1e-3 and 0.529 at 2e-3 on seed 42 (the 2-epoch, 5,000-image protocol it replaces scored 0.21),
 * and 0.5306 ± 0.0067 over seeds 42-47; every bundled architecture is measured there over several seeds.
 */
public final class Protocols {
    private static final Map<String, Map<String, String>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("notebook", Map.of());
        PRESETS.put("ci", Map.of("cnn.epochs", "1", "cnn.trainLimit", "24000", "cnn.schedule", "step",
                "cnn.learningRate", "0.002", "cnn.zeroInitResidual", "true"));
    }

    private Protocols() {
    }

    static String[] names() {
        return PRESETS.keySet().toArray(new String[0]);
    }

    /** The preset's text for {@code setting}, or {@code null} when the preset leaves it alone. */
    static String preset(String protocol, Setting<?> setting) {
        Map<String, String> p = PRESETS.get(protocol);
        return p == null ? null : p.get(setting.property());
    }
}
