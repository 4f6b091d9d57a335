package io.cnnbench.api.registry;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.HeadProvider;
import io.cnnbench.api.spi.Provider;
import io.cnnbench.api.spi.TailProvider;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every tail, block, head and architecture found with {@link ServiceLoader} on a class loader, by name.
 * Adding an architecture to a build means adding its jar to that class loader (the Maven plugin's
 * dependencies).
 */
public final class ProviderRegistry {

    /** The four kinds of provider, as users see them in listings and errors. */
    public enum Kind {
        TAIL(TailProvider.class), BLOCK(BlockProvider.class), HEAD(HeadProvider.class),
        ARCHITECTURE(ArchitectureProvider.class);

        final Class<? extends Provider> type;

        Kind(Class<? extends Provider> type) {
            this.type = type;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Map<Kind, Map<String, Provider>> byKind = new java.util.EnumMap<>(Kind.class);

    private ProviderRegistry() {
        for (Kind k : Kind.values()) {
            byKind.put(k, new TreeMap<>());
        }
    }

    /** Loads every provider visible to {@code loader}; two with one name of one kind is an error naming both. */
    public static ProviderRegistry load(ClassLoader loader) {
        ProviderRegistry r = new ProviderRegistry();
        for (Kind k : Kind.values()) {
            for (Provider p : ServiceLoader.load(k.type, loader)) {
                r.register(k, p);
            }
        }
        return r;
    }

    /** The registry of the thread's context class loader (Maven sets it to the plugin's realm). */
    public static ProviderRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : ProviderRegistry.class.getClassLoader());
    }

    private void register(Kind kind, Provider p) {
        String name = p.name();
        if (name == null || name.isBlank()) {
            throw new ProviderException("the " + kind.label() + " provider " + p.getClass().getName() + " from "
                    + origin(p) + " has no name");
        }
        Provider existing = byKind.get(kind).putIfAbsent(name, p);
        if (existing != null) {
            throw new ProviderException("two " + kind.label() + " providers are named '" + name + "': "
                    + existing.getClass().getName() + " from " + origin(existing) + " and "
                    + p.getClass().getName() + " from " + origin(p)
                    + ". Remove one of the jars from the plugin's dependencies, or rename one provider.");
        }
    }

    /** Where a provider's class was loaded from (its jar or classes directory). */
    public static String origin(Provider p) {
        CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        return url == null ? "(unknown location)" : url.toString();
    }

    public Collection<? extends Provider> all(Kind kind) {
        return Collections.unmodifiableCollection(byKind.get(kind).values());
    }

    public List<ArchitectureProvider> architectures() {
        List<ArchitectureProvider> list = new ArrayList<>();
        for (Provider p : byKind.get(Kind.ARCHITECTURE).values()) {
            list.add((ArchitectureProvider) p);
        }
        return list;
    }

    public ArchitectureProvider architecture(String name) {
        return (ArchitectureProvider) find(Kind.ARCHITECTURE, name);
    }

    public TailProvider tail(String name) {
        return (TailProvider) find(Kind.TAIL, name);
    }

    public BlockProvider block(String name) {
        return (BlockProvider) find(Kind.BLOCK, name);
    }

    public HeadProvider head(String name) {
        return (HeadProvider) find(Kind.HEAD, name);
    }

    private Provider find(Kind kind, String name) {
        Provider p = byKind.get(kind).get(name);
        if (p == null) {
            Collection<String> known = byKind.get(kind).keySet();
            throw new ProviderException("unknown " + kind.label() + " '" + name + "'. Known " + kind.label()
                    + "s: " + (known.isEmpty() ? "(none: is an architecture jar among the plugin's dependencies?)"
                    : String.join(", ", known)));
        }
        return p;
    }

    /**
     * Builds the network a recipe describes: {@code tail(input, startDims)}, the body's blocks, then the head,
     * whose output is the graph's output (logits).
     */
    public Graph build(ArchitectureSpec spec) {
        TailProvider tail = tail(spec.tail());
        BlockProvider block = block(spec.block());
        HeadProvider head = head(spec.head());
        Graph g = new Graph(spec.name(), spec.inputShape());
        Tensor x;
        try (Graph.Scope s = g.scope("tail")) {
            x = tail.build(g, g.input(), spec.startDims(), spec.options());
        }
        x = spec.body().build(g, x, block, spec.startDims(), spec.options());
        try (Graph.Scope s = g.scope("head")) {
            x = head.build(g, x, spec.numClasses(), spec.options());
        }
        if (x.shape().rank() != 1 || x.shape().channels() != spec.numClasses()) {
            throw new ProviderException("head '" + spec.head() + "' of " + spec.name() + " must output ("
                    + spec.numClasses() + ",) logits, got " + x.shape());
        }
        g.setOutput(x);
        return g;
    }
}
