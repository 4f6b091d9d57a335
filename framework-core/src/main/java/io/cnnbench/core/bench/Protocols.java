package io.cnnbench.core.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named presets of settings ({@code cnn.protocol}). A preset only fills settings the user left unset, so
 * {@code -Dcnn.protocol=ci -Dcnn.epochs=3} is the CI protocol with three epochs.
 *
 * <p>{@code ci}: sized for a 2-core CI runner — the first 5,000 training images, 2 epochs, the schedule spread
 * over the steps (the per-epoch schedule would run the second epoch at 1% of the rate). docs/regression-tracking.md
 * gives its measured accuracy and seed-to-seed spread.
 */
public final class Protocols {
    private static final Map<String, Map<String, String>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("notebook", Map.of());
        PRESETS.put("ci", Map.of("cnn.schedule", "step", "cnn.epochs", "2", "cnn.trainLimit", "5000"));
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
