package io.cnnbench.maven;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.io.AtomicFiles;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.OptionSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.Provider;
import io.cnnbench.core.bench.ArchitectureTable;
import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.BenchmarkRunner;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn cnn:list}: every registered architecture (name, trainable parameters, MACs, input, description,
 * paper) and every provider with the jar it came from. With {@code -Dcnn.architectures=NAME}, also each option
 * of that architecture (type, default, description); with {@code -Dcnn.summary=true}, the network's per-layer
 * summary. {@code -Dcnn.listFormat=csv} or {@code json} gives the architecture table as data (every registered
 * architecture, with {@code fits_cifar} saying whether a run benchmarks it by default), on standard output or,
 * with {@code -Dcnn.listFile=path}, written atomically to that file.
 */
@Mojo(name = "list", requiresProject = false, aggregator = true, threadSafe = true)
public class ListMojo extends AbstractCnnMojo {

    /** Print the per-layer summary of the selected architectures. */
    @Parameter(property = "cnn.summary", defaultValue = "false")
    private boolean summary;

    /** {@code text} (the log listing), {@code csv} or {@code json} (the architecture table as data). */
    @Parameter(property = "cnn.listFormat", defaultValue = "text")
    private String listFormat;

    /** Write the csv or json table to this file (atomically) instead of standard output. */
    @Parameter(property = "cnn.listFile")
    private File listFile;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("cnn:list skipped (cnn.skip=true)");
            return;
        }
        refuseUnknownProperties();
        String format = listFormat == null ? "text" : listFormat.trim().toLowerCase(Locale.ROOT);
        if (!List.of("text", "csv", "json").contains(format)) {
            throw new MojoExecutionException("cnn.listFormat must be text, csv or json, got '" + listFormat + "'");
        }
        if (listFile != null && format.equals("text")) {
            throw new MojoExecutionException("cnn.listFile writes the table as data: set cnn.listFormat=csv or json");
        }
        inPluginRealm(() -> {
            ProviderRegistry registry = registry();
            BenchmarkConfig cfg = new BenchmarkConfig().architectures(selectedNames());
            for (Composition c : compositions) {
                cfg.compose(c.toCore());
            }
            Map<String, Options> given = optionsByArchitecture(architectureNames(registry));
            for (Map.Entry<String, Options> e : given.entrySet()) {
                cfg.architectureOptions(e.getKey(), e.getValue());
            }
            try {
                BenchmarkRunner runner = new BenchmarkRunner(registry, cfg);
                if (format.equals("text")) {
                    print(registry, runner, given);
                } else {
                    writeTable(format, ArchitectureTable.rows(registry, runner, !selectedNames().isEmpty()));
                }
            } catch (RuntimeException e) {
                throw new MojoExecutionException(e.getMessage(), e);
            }
            return null;
        });
    }

    private void writeTable(String format, List<ArchitectureTable.Row> rows) {
        String text = format.equals("csv") ? ArchitectureTable.csv(rows) : ArchitectureTable.json(rows);
        if (listFile == null) {
            // Standard output, not the log: the table must be usable as it is (mvn -q cnn:list -Dcnn.listFormat=csv).
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.print(text);
            out.flush();
        } else {
            AtomicFiles.writeString(listFile.toPath().toAbsolutePath(), text);
            getLog().info("cnn:list wrote " + rows.size() + " architectures as " + format + " to " + listFile);
        }
    }

    private void print(ProviderRegistry registry, BenchmarkRunner runner, Map<String, Options> given) {
        boolean named = !selectedNames().isEmpty();
        getLog().info("Architectures:");
        getLog().info(String.format(Locale.ROOT, "  %-24s %12s %14s  %-12s %s", "name", "params", "MACs", "input",
                "description"));
        for (ArchitectureSpec spec : runner.selectedArchitectures()) {
            Graph g = registry.build(spec);
            getLog().info(String.format(Locale.ROOT, "  %-24s %12d %14d  %-12s %s%s", spec.name(),
                    g.trainableParameters(), g.macs(), spec.inputShape(), spec.description(),
                    spec.paper().isEmpty() ? "" : " [" + spec.paper() + "]"));
            if (named) {
                printOptions(registry, spec, given.getOrDefault(spec.name(), Options.empty()));
            }
            if (summary) {
                for (String line : g.summary().split("\n")) {
                    getLog().info("    " + line);
                }
            }
        }
        getLog().info("Providers:");
        for (ProviderRegistry.Kind kind : ProviderRegistry.Kind.values()) {
            for (Provider p : registry.all(kind)) {
                getLog().info(String.format(Locale.ROOT, "  %-13s %-24s %s", kind.label(), p.name(),
                        ProviderRegistry.origin(p)));
            }
        }
    }

    /**
     * The options {@code -Dcnn.options=NAME.key=value} accepts for {@code spec}: type, the architecture's default
     * (its own setting, else the provider's default) and description, and the value given in this run if any.
     */
    private void printOptions(ProviderRegistry registry, ArchitectureSpec spec, Options given) {
        boolean registered = registry.architectures().stream().anyMatch(p -> p.name().equals(spec.name()));
        ArchitectureSpec base = registered ? registry.architecture(spec.name()).spec() : spec;
        getLog().info("    options (-Dcnn.options=" + spec.name() + ".KEY=VALUE):");
        getLog().info(String.format(Locale.ROOT, "      %-16s %-8s %-10s %s", "option", "type", "default",
                "description"));
        for (OptionSpec o : registry.declaredOptions(base)) {
            String value = base.options().has(o.name()) ? base.options().getString(o.name(), "")
                    : o.defaultValue() == null ? "(none)" : o.defaultValue();
            getLog().info(String.format(Locale.ROOT, "      %-16s %-8s %-10s %s%s", o.name(), o.type().label(), value,
                    o.description(), given.has(o.name()) ? " (set to " + given.getString(o.name(), "")
                    + " in this run)" : ""));
        }
    }
}
