package io.cnnbench.maven;

import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.Provider;
import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.BenchmarkRunner;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn cnn:list}: every registered architecture (name, trainable parameters, MACs, input, description,
 * paper) and every provider with the jar it came from. With {@code -Dcnn.summary=true} and
 * {@code -Dcnn.architectures=NAME}, the network's per-layer summary.
 */
@Mojo(name = "list", requiresProject = false, aggregator = true, threadSafe = true)
public class ListMojo extends AbstractCnnMojo {

    /** Print the per-layer summary of the selected architectures. */
    @Parameter(property = "cnn.summary", defaultValue = "false")
    private boolean summary;

    @Override
    public void execute() throws MojoExecutionException {
        inPluginRealm(() -> {
            ProviderRegistry registry = registry();
            BenchmarkConfig cfg = new BenchmarkConfig().architectures(selectedNames());
            for (Composition c : compositions) {
                cfg.compose(c.toCore());
            }
            for (Map.Entry<String, Options> e : optionsByArchitecture().entrySet()) {
                cfg.architectureOptions(e.getKey(), e.getValue());
            }
            try {
                print(registry, new BenchmarkRunner(registry, cfg));
            } catch (RuntimeException e) {
                throw new MojoExecutionException(e.getMessage(), e);
            }
            return null;
        });
    }

    private void print(ProviderRegistry registry, BenchmarkRunner runner) {
        getLog().info("Architectures:");
        getLog().info(String.format(Locale.ROOT, "  %-24s %12s %14s  %-12s %s", "name", "params", "MACs", "input",
                "description"));
        for (ArchitectureSpec spec : runner.selectedArchitectures()) {
            Graph g = registry.build(spec);
            getLog().info(String.format(Locale.ROOT, "  %-24s %12d %14d  %-12s %s%s", spec.name(),
                    g.trainableParameters(), g.macs(), spec.inputShape(), spec.description(),
                    spec.paper().isEmpty() ? "" : " [" + spec.paper() + "]"));
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
}
