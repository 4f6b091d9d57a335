package io.cnnbench.api.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks user-given options against the declared ones ({@link OptionSpec}): an unknown key fails naming the key,
 * the architecture, the valid keys and the closest valid key; a value of the wrong type fails naming key, value
 * and type. Pure: no registry, no I/O.
 */
public final class OptionCheck {
    /** Keys whose edit distance to a valid key is at most this get a "did you mean". */
    static final int MAX_SUGGESTION_DISTANCE = 2;

    private OptionCheck() {
    }

    /**
     * The options the recipe itself reads through {@link ArchitectureSpec#withOptions}: {@code startDims} for
     * every body, {@code blockRepeats} for a VGG-like one, and the names of the tail, block and head providers.
     */
    public static List<OptionSpec> bodyOptions(ArchitectureSpec spec) {
        List<OptionSpec> list = new ArrayList<>();
        list.add(OptionSpec.ofInt("startDims", spec.startDims(), "channels of the tail's output, the body's first width"));
        if (spec.body() instanceof VggBody vgg) {
            StringBuilder repeats = new StringBuilder();
            for (int r : vgg.blockRepeats()) {
                repeats.append(repeats.length() == 0 ? "" : ",").append(r);
            }
            list.add(OptionSpec.ofIntList("blockRepeats", repeats.toString(),
                    "blocks per level of the VGG-like body (one entry per level)"));
        }
        list.add(OptionSpec.ofString("tail", spec.tail(), "the registered tail provider (cnn:list names them)"));
        list.add(OptionSpec.ofString("block", spec.block(), "the registered block provider"));
        list.add(OptionSpec.ofString("head", spec.head(), "the registered head provider"));
        return list;
    }

    /** {@code declared} merged by name, the first declaration of a name winning. */
    public static List<OptionSpec> union(Collection<? extends Collection<OptionSpec>> declared) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (Collection<OptionSpec> list : declared) {
            for (OptionSpec o : list) {
                byName.putIfAbsent(o.name(), o);
            }
        }
        return List.copyOf(byName.values());
    }

    /**
     * Throws an {@link IllegalArgumentException} when {@code given} has a key not in {@code declared}, or a value
     * that does not parse as its declared type.
     *
     * @param architecture the name the message uses
     */
    public static void check(String architecture, Collection<OptionSpec> declared, Options given) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (OptionSpec o : declared) {
            byName.putIfAbsent(o.name(), o);
        }
        for (Map.Entry<String, String> e : given.asMap().entrySet()) {
            OptionSpec spec = byName.get(e.getKey());
            if (spec == null) {
                String near = closest(e.getKey(), byName.keySet());
                throw new IllegalArgumentException("unknown option '" + e.getKey() + "' for architecture "
                        + architecture + (near == null ? "" : " (did you mean '" + near + "'?)") + ". Valid options of "
                        + architecture + ": " + (byName.isEmpty() ? "(none: its providers declare no options)"
                        : String.join(", ", byName.keySet())));
            }
            if (!spec.type().accepts(e.getValue())) {
                throw new IllegalArgumentException("option '" + e.getKey() + "' of architecture " + architecture
                        + " must be " + article(spec.type()) + " " + spec.type().label() + ", got '" + e.getValue()
                        + "'");
            }
        }
    }

    private static String article(OptionSpec.Type t) {
        return t == OptionSpec.Type.INT || t == OptionSpec.Type.INT_LIST ? "an" : "a";
    }

    /**
     * The candidate closest to {@code key}: equal ignoring case, or else the nearest within
     * {@value #MAX_SUGGESTION_DISTANCE} edits; {@code null} when none is that close.
     */
    public static String closest(String key, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (c.equalsIgnoreCase(key)) {
                return c;
            }
            int d = distance(key.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= MAX_SUGGESTION_DISTANCE ? best : null;
    }

    /** Levenshtein distance (insertions, deletions, substitutions). */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
