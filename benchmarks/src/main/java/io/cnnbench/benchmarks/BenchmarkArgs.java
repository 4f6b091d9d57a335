package io.cnnbench.benchmarks;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.registry.ProviderRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/** The benchmarks' {@code key=value} arguments over their defaults; an unknown key fails, listing the known ones. */
final class BenchmarkArgs {
    private BenchmarkArgs() {
    }

    static Map<String, String> parse(Map<String, String> defaults, String[] args) {
        Map<String, String> a = new LinkedHashMap<>(defaults);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0 || !a.containsKey(arg.substring(0, eq))) {
                throw new IllegalArgumentException("arguments are key=value with keys " + a.keySet() + "; got " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return a;
    }

    /** The graph of the registered architecture {@code name}, from the providers on the benchmarks' class path. */
    static Graph architecture(String name) {
        ProviderRegistry registry = ProviderRegistry.load(BenchmarkArgs.class.getClassLoader());
        return registry.build(registry.architecture(name).spec());
    }
}
