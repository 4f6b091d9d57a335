package io.cnnbench.core.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named presets of settings ({@code cnn.protocol}). A preset only fills settings the user left unset, so
 * {@code -Dcnn.protocol=ci -Dcnn.epochs=3} is the CI protocol with three epochs.
 *
 * <p>{@code ci}: the smoke protocol CI has used, sized for a 2-core runner: the first 5,000 training images and
 * 2 epochs, on the notebook's per-epoch schedule. The per-step schedule was measured against it and did not do
 * better (same mean, twice the seed spread); docs/regression-tracking.md has the numbers.
 */
public final class Protocols {
    private static final Map<String, Map<String, String>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("notebook", Map.of());
        PRESETS.put("ci", Map.of("cnn.epochs", "2", "cnn.trainLimit", "5000"));
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
