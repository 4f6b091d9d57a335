package io.cnnbench.api.registry;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Tensor;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.BlockProvider;
import io.cnnbench.api.spi.HeadProvider;
import io.cnnbench.api.spi.Names;
import io.cnnbench.api.spi.OptionCheck;
import io.cnnbench.api.spi.OptionSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.Provider;
import io.cnnbench.api.spi.TailProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every tail, block, head and architecture found with {@link ServiceLoader} on a class loader, by name.
 * Adding an architecture to a build means adding its jar to that class loader (the Maven plugin's
 * dependencies).
 *
 * <p>Slightly over the size of the other classes: loading (with the name rule and errors that name the jar),
 * lookup with "known names" errors, and the option checks all need the same by-name index of providers.
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

    /**
     * Loads every provider visible to {@code loader}. Fails with a {@link ProviderException} when two providers of
     * one kind share a name (naming both jars), when a name breaks the {@link Names} rule (quoting it and naming
     * the jar), when an architecture provider's name is not its spec's name (naming both), or when a provider
     * cannot be loaded or created, e.g. its constructor throws (naming the class, its jar and the cause).
     */
    public static ProviderRegistry load(ClassLoader loader) {
        ProviderRegistry r = new ProviderRegistry();
        for (Kind k : Kind.values()) {
            r.loadKind(k, k.type, loader);
        }
        return r;
    }

    /**
     * A registry of exactly these providers (each under every kind it implements), with the same name checks
     * as {@link #load(ClassLoader)}; for tests and for embedding without {@link ServiceLoader}.
     */
    public static ProviderRegistry of(Provider... providers) {
        ProviderRegistry r = new ProviderRegistry();
        for (Provider p : providers) {
            for (Kind k : Kind.values()) {
                if (k.type.isInstance(p)) {
                    r.register(k, p);
                }
            }
        }
        return r;
    }

    private <T extends Provider> void loadKind(Kind kind, Class<T> type, ClassLoader loader) {
        Iterator<ServiceLoader.Provider<T>> it = ServiceLoader.load(type, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<T> found;
            try {
                if (!it.hasNext()) {
                    return;
                }
                found = it.next();
            } catch (ServiceConfigurationError e) {
                // The class named in META-INF/services is missing, not a provider, or has no public constructor.
                String cls = classNamedIn(e);
                throw new ProviderException("cannot load a " + kind.label() + " provider"
                        + (cls == null ? "" : " " + cls + " listed in " + declaringServiceFiles(loader, type, cls))
                        + ": " + describe(e), e);
            }
            T p;
            try {
                p = found.get();
            } catch (ServiceConfigurationError e) {
                throw new ProviderException("the " + kind.label() + " provider " + found.type().getName() + " from "
                        + origin(found.type()) + " could not be created: " + describe(e), e);
            }
            register(kind, p);
        }
    }

    /** The error and what caused it, e.g. {@code its constructor threw IllegalStateException: no GPU}. */
    private static String describe(ServiceConfigurationError e) {
        Throwable cause = e.getCause();
        if (cause == null) {
            return e.getMessage();
        }
        if (cause instanceof ExceptionInInitializerError init && init.getCause() != null) {
            cause = init.getCause();
            return "its static initialiser threw " + cause.getClass().getName() + ": " + cause.getMessage();
        }
        return "its constructor threw " + cause.getClass().getName() + ": " + cause.getMessage();
    }

    private static final Pattern PROVIDER_IN_MESSAGE = Pattern.compile("Provider ([\\w.$]+)");

    /** The provider class a ServiceLoader error names ("Provider p.X not found"), or {@code null}. */
    private static String classNamedIn(ServiceConfigurationError e) {
        Matcher m = PROVIDER_IN_MESSAGE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group(1) : null;
    }

    /** The META-INF/services files (and so the jars) that list {@code className} for {@code service}. */
    private static String declaringServiceFiles(ClassLoader loader, Class<?> service, String className) {
        List<String> where = new ArrayList<>();
        try {
            Enumeration<URL> files = loader.getResources("META-INF/services/" + service.getName());
            while (files.hasMoreElements()) {
                URL url = files.nextElement();
                URLConnection connection = url.openConnection();
                connection.setUseCaches(false); // as ServiceLoader does: a cached jar may be stale
                try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    if (in.lines().map(l -> l.replaceAll("#.*", "").trim()).anyMatch(className::equals)) {
                        where.add(url.toString());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return "(unknown location: " + e + ")";
        }
        return where.isEmpty() ? "(unknown location)" : String.join(" and ", where);
    }

    /** The registry of the thread's context class loader (Maven sets it to the plugin's realm). */
    public static ProviderRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : ProviderRegistry.class.getClassLoader());
    }

    private void register(Kind kind, Provider p) {
        String where = "the " + kind.label() + " provider " + p.getClass().getName() + " from " + origin(p);
        String name;
        try {
            name = p.name();
        } catch (RuntimeException e) {
            throw new ProviderException(where + " failed to give its name: " + e, e);
        }
        if (name == null || name.isBlank()) {
            throw new ProviderException(where + " has no name");
        }
        checkName(name, where);
        if (p instanceof ArchitectureProvider a) {
            String specName;
            try {
                specName = a.spec().name();
            } catch (RuntimeException e) {
                throw new ProviderException(where + " failed to build its spec: " + e, e);
            }
            checkName(specName, where + ", its ArchitectureSpec");
            // A run looks an architecture up by its provider name but files its results under the spec's name, so
            // two names would let two architectures share one results folder; one name keeps them unique.
            if (!specName.equals(name)) {
                throw new ProviderException(where + " is named '" + name + "' but its ArchitectureSpec is named '"
                        + specName + "'. An architecture has one name: make name() return '" + specName
                        + "' (or remove the name() override: it defaults to spec().name()).");
            }
        }
        Provider existing = byKind.get(kind).putIfAbsent(name, p);
        if (existing != null) {
            throw new ProviderException("two " + kind.label() + " providers are named '" + name + "': "
                    + existing.getClass().getName() + " from " + origin(existing) + " and "
                    + p.getClass().getName() + " from " + origin(p)
                    + ". Remove one of the jars from the plugin's dependencies, or rename one provider.");
        }
    }

    /**
     * Throws a {@link ProviderException} quoting {@code name} and {@code where} it came from when it breaks the
     * {@link Names} rule; for names that are not providers' own, such as POM compositions.
     */
    public static void checkName(String name, String where) {
        String problem = Names.problem(name);
        if (problem != null) {
            throw new ProviderException(Names.message(name, where, problem));
        }
    }

    /** Where a provider's class was loaded from (its jar or classes directory). */
    public static String origin(Provider p) {
        return origin(p.getClass());
    }

    private static String origin(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
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
     * Every option a run may set for {@code spec}: the body's ({@code startDims}, and {@code blockRepeats} for a
     * VGG-like body), then those declared by the architecture provider of that name (when one is registered),
     * its tail, its block and its head; a name declared twice is listed once. Fails like {@link #tail(String)}
     * when a part is not registered.
     */
    public List<OptionSpec> declaredOptions(ArchitectureSpec spec) {
        List<List<OptionSpec>> lists = new ArrayList<>();
        lists.add(OptionCheck.bodyOptions(spec));
        lists.add(partOptions(spec));
        return OptionCheck.union(lists);
    }

    /**
     * The options declared by the providers of {@code spec} alone (architecture provider of that name when one
     * is registered, tail, block, head), without the body's: what a spec's own {@link ArchitectureSpec#options()}
     * may hold, e.g. a POM composition's {@code <options>}.
     */
    public List<OptionSpec> partOptions(ArchitectureSpec spec) {
        List<List<OptionSpec>> lists = new ArrayList<>();
        Provider architecture = byKind.get(Kind.ARCHITECTURE).get(spec.name());
        if (architecture != null) {
            lists.add(declared(architecture));
        }
        lists.add(declared(tail(spec.tail())));
        lists.add(declared(block(spec.block())));
        lists.add(declared(head(spec.head())));
        return OptionCheck.union(lists);
    }

    private static List<OptionSpec> declared(Provider p) {
        List<OptionSpec> list;
        try {
            list = p.options();
        } catch (RuntimeException e) {
            throw new ProviderException("the provider " + p.getClass().getName() + " from " + origin(p)
                    + " failed to declare its options: " + e, e);
        }
        return list == null ? List.of() : list;
    }

    /**
     * Checks options a user gave for {@code spec} (from a POM or {@code -D}) against {@link #declaredOptions}:
     * an unknown key fails naming the key, the architecture, the valid keys and the closest one ("did you
     * mean"); a value of the wrong type fails naming key, value and type. Builds and reads nothing else.
     *
     * @throws IllegalArgumentException when an option is unknown or mistyped
     */
    public void checkOptions(ArchitectureSpec spec, Options given) {
        if (given.keys().isEmpty()) {
            return;
        }
        // With a provider swapped in (tail, block or head), the options must suit the swapped recipe, and
        // declaredOptions fails naming the provider when it is not registered.
        boolean swaps = given.has("tail") || given.has("block") || given.has("head");
        OptionCheck.check(spec.name(), declaredOptions(swaps ? spec.withOptions(given) : spec), given);
    }

    /**
     * Checks a spec's own options (a POM composition's {@code <options>}) against {@link #partOptions}: as
     * {@link #checkOptions}, but {@code startDims} and {@code blockRepeats} are not options there (a composition
     * has elements of its own for them).
     *
     * @throws IllegalArgumentException when an option is unknown or mistyped
     */
    public void checkPartOptions(ArchitectureSpec spec, Options given) {
        if (given.keys().isEmpty()) {
            return;
        }
        OptionCheck.check(spec.name(), partOptions(spec), given);
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
