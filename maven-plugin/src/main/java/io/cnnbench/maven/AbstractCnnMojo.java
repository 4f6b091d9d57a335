package io.cnnbench.maven;

import io.cnnbench.api.registry.ProviderException;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.Options;
import io.cnnbench.core.bench.ArchitectureOptionKey;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every goal shares: the registry of the plugin's class realm, architecture selection, and the refusal of
 * {@code -Dcnn.*} properties that no goal reads.
 */
abstract class AbstractCnnMojo extends AbstractMojo {

    /** Skip the goal. */
    @Parameter(property = "cnn.skip", defaultValue = "false")
    protected boolean skip;

    /** Where cnn:benchmark writes, and cnn:check and cnn:report read, the run's files. */
    @Parameter(property = "cnn.outputDirectory", defaultValue = "${project.build.directory}/cnn")
    protected File outputDirectory;

    /** Architectures to use, comma-separated; empty means every registered one. */
    @Parameter(property = "cnn.architectures")
    protected String architectures;

    /**
     * Provider options per architecture, as {@code <resnext.cardinality>4</resnext.cardinality>}: the longest
     * registered or composed architecture name the key starts with names the architecture (names may contain
     * dots: {@code <vgg_11.bn.depth>}).
     */
    @Parameter
    protected Map<String, String> architectureOptions = new LinkedHashMap<>();

    /**
     * The same as a property: {@code -Dcnn.options=resnext.cardinality=4,resnext-seed.startDims=16}; a list value
     * keeps its commas ({@code resnext-seed.blockRepeats=2,2,2}). Every key must be declared by the
     * architecture's providers, and every architecture named must be selected in the run.
     */
    @Parameter(property = "cnn.options")
    protected String options;

    /** Architectures composed from provider names, benchmarked beside the registered ones. */
    @Parameter
    protected List<Composition> compositions = new ArrayList<>();

    /** The build, for its command line's -D properties. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** This plugin, for every property its goals read. */
    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor pluginDescriptor;

    /**
     * Fails on a {@code -Dcnn.*} property that no goal of this plugin reads (a misspelled setting Maven would ignore),
     * naming the nearest known ones, and warns of such a property in the POM. Each goal calls it before it does
     * anything.
     */
    protected void refuseUnknownProperties() throws MojoExecutionException {
        if (session == null) {
            return; // a unit test's hand-built goal: Maven always injects the session
        }
        Set<String> known = UserProperties.known(pluginDescriptor);
        UserProperties.refuseUnknown(session.getUserProperties(), known);
        if (session.getCurrentProject() != null) {
            UserProperties.warnUnknownInPom(session.getCurrentProject().getProperties(), known, getLog());
        }
    }

    /**
     * Runs {@code action} with the thread context class loader set to this plugin's realm: DJL finds its
     * engines, and the registry its providers, through it.
     */
    protected <T> T inPluginRealm(RealmAction<T> action) throws MojoExecutionException {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(getClass().getClassLoader());
        try {
            return action.run();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    @FunctionalInterface
    protected interface RealmAction<T> {
        T run() throws MojoExecutionException;
    }

    protected ProviderRegistry registry() throws MojoExecutionException {
        try {
            return ProviderRegistry.load(getClass().getClassLoader());
        } catch (ProviderException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** The architectures named by {@code cnn.architectures}, or null when none are named: the gate then judges all. */
    protected List<String> selectedOrAll() {
        List<String> selected = selectedNames();
        return selected.isEmpty() ? null : selected;
    }

    protected List<String> selectedNames() {
        if (architectures == null || architectures.isBlank()) {
            return List.of();
        }
        return Arrays.stream(architectures.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * POM map and {@code -Dcnn.options} merged, grouped by architecture: each key is split after the longest of
     * {@code knownArchitectures} it starts with ({@link ArchitectureOptionKey#parse}).
     */
    protected Map<String, Options> optionsByArchitecture(Collection<String> knownArchitectures)
            throws MojoExecutionException {
        Map<String, String> flat = new LinkedHashMap<>(architectureOptions);
        if (options != null && !options.isBlank()) {
            String lastKey = null;
            for (String pair : options.split(",")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    // A list value: resnext-seed.blockRepeats=2,2,2 continues the previous entry's value.
                    if (lastKey == null) {
                        throw new MojoExecutionException("cnn.options entries look like architecture.option=value,"
                                + " got '" + pair.trim() + "'");
                    }
                    flat.put(lastKey, flat.get(lastKey) + "," + pair.trim());
                    continue;
                }
                lastKey = pair.substring(0, eq).trim();
                flat.put(lastKey, pair.substring(eq + 1).trim());
            }
        }
        Map<String, Map<String, String>> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            ArchitectureOptionKey key = ArchitectureOptionKey.parse(e.getKey(), knownArchitectures);
            if (key == null) {
                throw new MojoExecutionException("architecture option '" + e.getKey()
                        + "' must be named architecture.option, e.g. resnext.cardinality");
            }
            grouped.computeIfAbsent(key.architecture(), k -> new LinkedHashMap<>()).put(key.option(), e.getValue());
        }
        Map<String, Options> out = new LinkedHashMap<>();
        grouped.forEach((k, v) -> out.put(k, Options.of(v)));
        return out;
    }

    /** The names options may be given for: every registered architecture and every composition in the POM. */
    protected List<String> architectureNames(ProviderRegistry registry) {
        List<String> names = new ArrayList<>();
        registry.architectures().forEach(p -> names.add(p.name()));
        for (Composition c : compositions) {
            String name = c.toCore().name();
            if (name != null) { // a composition without one is refused by the run's checks
                names.add(name);
            }
        }
        return names;
    }
}
