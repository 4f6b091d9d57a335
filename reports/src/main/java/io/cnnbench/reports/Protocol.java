package io.cnnbench.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The protocol a result was measured under, as results.csv and the history record it: {@code key=value} pairs, comma
 * separated, sorted by key (every setting that changes what the accuracy means, and the architecture's options).
 */
final class Protocol {
    private Protocol() {
    }

    /** The pairs of {@code text}; a part without {@code =} continues the previous value (a comma inside it). */
    static Map<String, String> parse(String text) {
        Map<String, String> pairs = new TreeMap<>();
        String last = null;
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                last = part.substring(0, eq);
                pairs.put(last, part.substring(eq + 1));
            } else if (last != null) {
                pairs.put(last, pairs.get(last) + "," + part);
            }
        }
        return pairs;
    }

    /** The distinct non-empty protocols of {@code rows}, in the order first seen. */
    static Set<String> of(List<ResultRow> rows) {
        Set<String> found = new LinkedHashSet<>();
        for (ResultRow r : rows) {
            if (!r.get(ResultColumn.PROTOCOL).isEmpty()) {
                found.add(r.get(ResultColumn.PROTOCOL));
            }
        }
        return found;
    }

    /**
     * How {@code run} differs from {@code baseline}, one {@code key run-value (baseline: value)} per differing
     * setting; empty when they are the same protocol.
     */
    static List<String> differences(String run, String baseline) {
        Map<String, String> a = parse(run);
        Map<String, String> b = parse(baseline);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String here = a.getOrDefault(k, "unset");
            String there = b.getOrDefault(k, "unset");
            if (!here.equals(there)) {
                out.add(k + "=" + here + " (baseline: " + there + ")");
            }
        }
        return out;
    }
}
