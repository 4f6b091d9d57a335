package io.cnnbench.core.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Which GPUs a run trains on ({@code cnn.devices}), written as PyTorch Lightning's {@code devices} is: a number
 * is a count of GPUs (the first ones the machine shows), a comma-separated list names GPU ids ({@code 0,2}; a
 * single id needs the comma, {@code 1,}), and {@code all} is every GPU the machine shows. Each GPU, a single named
 * one too, gets its own training JVM that sees only it and a part of the run's (architecture, seed) pairs
 * ({@link Shard#part}); the default, 1, is one JVM on the device the engine picks.
 *
 * @param count how many GPUs, when given as a count; 0 otherwise
 * @param ids   the GPU ids, when given as a list; empty otherwise
 * @param all   every GPU
 */
public record DeviceSelection(int count, List<String> ids, boolean all) {
    public static final DeviceSelection ONE = new DeviceSelection(1, List.of(), false);
    private static final String FORMS = "a count (2), GPU ids with a comma (0,2 or 1,) or all";

    public DeviceSelection {
        ids = List.copyOf(ids);
    }

    public static DeviceSelection parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return new DeviceSelection(0, List.of(), true);
        }
        if (t.contains(",")) {
            LinkedHashSet<String> ids = new LinkedHashSet<>();
            for (String part : t.split(",")) {
                String id = part.trim();
                if (id.isEmpty()) {
                    continue; // "1," names GPU 1
                }
                if (!id.matches("[0-9]{1,3}|gpu-[0-9a-f-]{8,64}")) {
                    throw new IllegalArgumentException("'" + id + "' is not a GPU id (an index such as 0, or a UUID"
                            + " such as GPU-8f6c...); the value must be " + FORMS);
                }
                if (!ids.add(id.startsWith("gpu-") ? "GPU-" + id.substring(4) : id)) {
                    throw new IllegalArgumentException("GPU " + id + " is named twice");
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("names no GPU; the value must be " + FORMS);
            }
            return new DeviceSelection(0, new ArrayList<>(ids), false);
        }
        try {
            int n = Integer.parseInt(t);
            if (n < 1) {
                throw new IllegalArgumentException("must be at least 1; the value must be " + FORMS);
            }
            return new DeviceSelection(n, List.of(), false);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the value must be " + FORMS, e);
        }
    }

    /**
     * Whether this is the default, a count of 1: one JVM on the device the engine picks, as without this setting. A
     * single named GPU ({@code 1,}) is not: it must be one the machine shows, and the only one its JVM sees.
     */
    public boolean oneUnnamed() {
        return !all && count == 1;
    }

    /**
     * The GPUs to train on, each as the machine names it, given those it shows ({@code visible}, in order).
     *
     * @throws IllegalArgumentException naming what is visible when the selection asks for more or other GPUs
     */
    public List<String> pick(List<String> visible) {
        String shown = visible.isEmpty() ? "none" : String.join(", ", visible);
        if (all) {
            if (visible.isEmpty()) {
                throw new IllegalArgumentException("cnn.devices=all, but this machine shows no GPU");
            }
            return List.copyOf(visible);
        }
        if (!ids.isEmpty()) {
            for (String id : ids) {
                if (!visible.contains(id)) {
                    throw new IllegalArgumentException("cnn.devices names GPU " + id + ", which this machine does not"
                            + " show (visible: " + shown + ")");
                }
            }
            return ids;
        }
        if (count > visible.size()) {
            throw new IllegalArgumentException("cnn.devices=" + count + ", but this machine shows " + visible.size()
                    + " GPU" + (visible.size() == 1 ? "" : "s") + " (visible: " + shown + ")");
        }
        return List.copyOf(visible.subList(0, count));
    }

    @Override
    public String toString() {
        if (all) {
            return "all";
        }
        return ids.isEmpty() ? Integer.toString(count) : String.join(",", ids) + (ids.size() == 1 ? "," : "");
    }
}
