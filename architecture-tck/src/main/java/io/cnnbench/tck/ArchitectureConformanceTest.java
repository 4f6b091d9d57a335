package io.cnnbench.tck;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance test an architecture module extends, once, in its own tests:
 * <pre>{@code
 * class MyArchitecturesConformanceTest extends ArchitectureConformanceTest {
 *     @Override
 *     protected List<String> architectureNames() {
 *         return List.of("my-net", "my-net-wide");
 *     }
 * }
 * }</pre>
 * For each named architecture it runs, as separate JUnit tests: discovery through {@link java.util.ServiceLoader},
 * declared vs counted trainable parameters, forward and backward on the engine, seeded determinism through two
 * training steps, and ONNX export with ONNX Runtime parity (see {@link ArchitectureChecks} for each check's
 * exact terms). It also checks that the list names every architecture registered from the same jar or classes
 * directory, so a new architecture cannot be added without being checked.
 *
 * <p>{@link #compositions()} adds recipes that exist only as compositions of registered parts (a block from
 * one plugin under another plugin's head): they get every check but the architecture's own discovery, and the
 * parameter check only when they declare a count.
 */
public abstract class ArchitectureConformanceTest {

    /** The architectures the module under test registers, by name. */
    protected abstract List<String> architectureNames();

    /** Recipes composed from registered tails, blocks and heads, checked like architectures. None by default. */
    protected List<ArchitectureSpec> compositions() {
        return List.of();
    }

    /** The seed every check builds its networks and data from. */
    protected long seed() {
        return 42;
    }

    /** Where providers are looked up: the test's class loader, which sees the module and its dependencies. */
    protected ClassLoader classLoader() {
        return getClass().getClassLoader();
    }

    @TestFactory
    Stream<DynamicNode> conformance() {
        ClassLoader loader = classLoader();
        // Loading fails at once, naming both jars, when two providers of one kind share a name.
        ProviderRegistry registry = ProviderRegistry.load(loader);
        List<String> names = architectureNames();
        long seed = seed();
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(dynamicTest("the names cover every architecture the module registers",
                () -> ArchitectureChecks.namesCoverTheModule(loader, names)));
        for (String name : names) {
            nodes.add(dynamicContainer(name, Stream.of(
                    dynamicTest("is discovered through ServiceLoader", () -> ArchitectureChecks.discovery(loader, name)),
                    dynamicTest("declares its trainable parameters and builds that many",
                            () -> ArchitectureChecks.declaredParameters(registry, spec(registry, name))),
                    dynamicTest("runs forward and backward on the engine",
                            () -> ArchitectureChecks.forwardAndBackward(registry, spec(registry, name), seed)),
                    dynamicTest("is deterministic for a seed",
                            () -> ArchitectureChecks.seededDeterminism(registry, spec(registry, name), seed)),
                    dynamicTest("exports to ONNX that ONNX Runtime runs like the engine",
                            () -> ArchitectureChecks.onnxParity(registry, spec(registry, name), seed)))));
        }
        for (ArchitectureSpec spec : compositions()) {
            List<DynamicNode> checks = new ArrayList<>();
            checks.add(dynamicTest("builds from registered parts", () -> registry.build(spec)));
            checks.add(dynamicTest("declares every option it sets",
                    () -> ArchitectureChecks.declaredOptions(registry, spec)));
            if (spec.expectedTrainableParameters() >= 0) {
                checks.add(dynamicTest("builds the declared trainable parameters",
                        () -> ArchitectureChecks.declaredParameters(registry, spec)));
            }
            checks.add(dynamicTest("runs forward and backward on the engine",
                    () -> ArchitectureChecks.forwardAndBackward(registry, spec, seed)));
            checks.add(dynamicTest("is deterministic for a seed",
                    () -> ArchitectureChecks.seededDeterminism(registry, spec, seed)));
            checks.add(dynamicTest("exports to ONNX that ONNX Runtime runs like the engine",
                    () -> ArchitectureChecks.onnxParity(registry, spec, seed)));
            nodes.add(dynamicContainer("composition " + spec.name() + " (" + spec.tail() + " / " + spec.block()
                    + " / " + spec.head() + ")", checks.stream()));
        }
        return nodes.stream();
    }

    private static ArchitectureSpec spec(ProviderRegistry registry, String name) {
        return registry.architecture(name).spec();
    }
}
