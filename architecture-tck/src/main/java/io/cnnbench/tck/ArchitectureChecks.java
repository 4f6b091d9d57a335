package io.cnnbench.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.cnnbench.api.graph.Dims;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.Names;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Provider;
import io.cnnbench.api.spi.StageTable;
import io.cnnbench.core.djl.Network;
import io.cnnbench.core.onnx.ModelMetadata;
import io.cnnbench.core.onnx.OnnxCheck;
import io.cnnbench.core.onnx.OnnxCheckResult;
import io.cnnbench.core.onnx.OnnxExporter;
import io.cnnbench.core.onnx.OnnxForm;
import io.cnnbench.core.onnx.OnnxModelRules;
import io.cnnbench.core.train.Optimizer;
import io.cnnbench.core.train.TrainStep;
import io.cnnbench.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The conformance checks, one static method each, so a plugin's own tests can call a single check directly.
 * {@link ArchitectureConformanceTest} runs all of them for every architecture a module names. Every check
 * builds the network from its recipe through the registry, exactly as {@code cnn:benchmark} does, and runs it
 * on the CPU with small batches of standard-normal images (the values a normalised image has).
 *
 * <p>One class of independent static checks, so that a plugin author finds every check in one place; each
 * check is short and none shares state with another.
 */
public final class ArchitectureChecks {
    /** Images per forward/backward pass and per training step: enough for batch-norm, small for 224×224 nets. */
    public static final int BATCH = 2;
    /** Training steps the determinism check compares. */
    public static final int TRAINING_STEPS = 2;
    /** Images the ONNX check compares, in batches of {@link #ONNX_BATCH}. */
    public static final int ONNX_IMAGES = 8;
    public static final int ONNX_BATCH = 4;
    /**
     * Allowed |ONNX − engine| per unit of the largest |logit| (at least 1): the export check's own tolerance.
     * Top-1 agreement is not required here: on random images an untrained network's best two logits can be
     * closer than float32 rounding, and the logits themselves are the stricter comparison.
     */
    public static final OnnxCheck.Tolerances ONNX_TOLERANCES = new OnnxCheck.Tolerances(1e-4, 0.0);

    private ArchitectureChecks() {
    }

    // ------------------------------------------------------------------ discovery

    /**
     * {@code name} is registered exactly once through {@link ServiceLoader} on {@code loader}, is a valid
     * provider name, gives the same recipe on every call, and names a tail, block and head that are
     * registered too.
     */
    public static void discovery(ClassLoader loader, String name) {
        List<ArchitectureProvider> found = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (ArchitectureProvider p : ServiceLoader.load(ArchitectureProvider.class, loader)) {
            known.add(p.name());
            if (name.equals(p.name())) {
                found.add(p);
            }
        }
        assertEquals(1, found.size(), () -> found.isEmpty()
                ? "no ArchitectureProvider named '" + name + "' is registered in META-INF/services/"
                        + ArchitectureProvider.class.getName() + "; registered: " + known
                : "'" + name + "' is registered " + found.size() + " times: " + found.stream()
                        .map(p -> p.getClass().getName() + " from " + ProviderRegistry.origin(p)).toList());
        ArchitectureProvider provider = found.get(0);
        // The framework's own rule (dots and underscores too, e.g. vgg_11.bn): the kit must not refuse a name the
        // registry and the build accept.
        assertTrue(Names.isValid(name), () -> Names.message(name, "the ArchitectureProvider", Names.problem(name)));
        ArchitectureSpec spec = provider.spec();
        assertEquals(name, spec.name(), "the provider's name must be its spec's name");
        assertEquals(spec, provider.spec(), () -> name + ": spec() must return the same recipe on every call");
        assertFalse(spec.description().isBlank(), () -> name + ": give the architecture a one-line description");
        ProviderRegistry registry = ProviderRegistry.load(loader);
        for (Provider part : List.<Provider>of(registry.tail(spec.tail()), registry.block(spec.block()),
                registry.head(spec.head()))) {
            assertTrue(Names.isValid(part.name()), () -> Names.message(part.name(), part.getClass().getName(),
                    Names.problem(part.name())));
        }
        declaredOptions(registry, spec);
    }

    /**
     * Every option the recipe sets, its own and each stage-table row's, is declared with a matching type by one
     * of its providers ({@code Provider#options()}): a run refuses undeclared keys, so an undeclared option
     * could not be overridden, and {@code cnn:list} could not show it.
     */
    public static void declaredOptions(ProviderRegistry registry, ArchitectureSpec spec) {
        try {
            registry.checkPartOptions(spec, spec.options());
            if (spec.body() instanceof StageTable table) {
                for (StageTable.Stage stage : table.stages()) {
                    registry.checkPartOptions(spec, stage.options());
                }
            }
        } catch (IllegalArgumentException e) {
            fail(spec.name() + " sets an option its providers do not declare in Provider#options(): "
                    + e.getMessage());
        }
    }

    /**
     * Every architecture registered from the same jar or classes directory as the named ones is among them, so
     * nothing a module registers escapes the kit.
     */
    public static void namesCoverTheModule(ClassLoader loader, List<String> names) {
        assertFalse(names.isEmpty(), "name at least one architecture to check");
        assertEquals(new HashSet<>(names).size(), names.size(), () -> "names listed twice: " + names);
        Set<String> origins = new HashSet<>();
        List<ArchitectureProvider> all = new ArrayList<>();
        for (ArchitectureProvider p : ServiceLoader.load(ArchitectureProvider.class, loader)) {
            all.add(p);
            if (names.contains(p.name())) {
                origins.add(ProviderRegistry.origin(p));
            }
        }
        List<String> unchecked = all.stream().filter(p -> origins.contains(ProviderRegistry.origin(p)))
                .map(Provider::name).filter(n -> !names.contains(n)).sorted().toList();
        assertEquals(List.of(), unchecked, () -> "the module registers architectures its conformance test does not"
                + " name; add them to architectureNames(): " + unchecked);
    }

    // ------------------------------------------------------------------ parameters

    /**
     * The recipe declares its trainable-parameter count (from the paper or a reference implementation) and the
     * built network has exactly that many.
     */
    public static void declaredParameters(ProviderRegistry registry, ArchitectureSpec spec) {
        Graph g = registry.build(spec);
        assertTrue(spec.expectedTrainableParameters() >= 0, () -> spec.name() + " builds "
                + g.trainableParameters() + " trainable parameters but declares none: add"
                + " .expectedTrainableParameters(N) to its spec, with N from the paper or the reference"
                + " implementation, so a change to the structure cannot pass unnoticed");
        assertEquals(spec.expectedTrainableParameters(), g.trainableParameters(),
                () -> spec.name() + ": declared trainable parameters vs counted in the built network");
    }

    // ------------------------------------------------------------------ forward and backward

    /**
     * One training-mode forward pass of {@link #BATCH} images gives finite {@code (N, classes)} logits, the
     * backward pass reaches every trainable parameter with a finite, non-zero gradient, the engine trains
     * exactly the graph's count, and an inference pass is finite too.
     */
    public static void forwardAndBackward(ProviderRegistry registry, ArchitectureSpec spec, long seed) {
        Graph g = registry.build(spec);
        try (Network net = Network.create(g, seed, Device.cpu()); NDManager m = net.manager().newSubManager()) {
            Engine engine = net.manager().getEngine();
            NDArray x = m.create(gaussian(BATCH * g.inputShape().size(), seed), new Shape(g.inputShape()
                    .withBatch(BATCH)));
            // A random projection of the logits, so every class's logit contributes to the gradient.
            NDArray probe = m.create(gaussian((long) BATCH * spec.numClasses(), seed + 1),
                    new Shape(BATCH, spec.numClasses()));
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray y = net.forward(x, true);
                assertEquals(new Shape(BATCH, spec.numClasses()), y.getShape(), spec.name() + ": training logits");
                assertAllFinite(y.toFloatArray(), spec.name() + ": training-mode logits");
                gc.backward(y.mul(probe).sum());
            }
            long trainable = 0;
            List<String> noGradient = new ArrayList<>();
            for (Parameter p : net.parameters()) {
                if (!p.requiresGradient()) {
                    continue;
                }
                trainable += p.getArray().size();
                float[] grad = p.getArray().getGradient().toFloatArray();
                assertAllFinite(grad, spec.name() + ": gradient of " + p.getName());
                boolean any = false;
                for (float v : grad) {
                    any |= v != 0;
                }
                if (!any) {
                    noGradient.add(p.getName());
                }
            }
            assertEquals(List.of(), noGradient, () -> spec.name() + ": these parameters get no gradient, so they"
                    + " never train (is their output used?)");
            assertEquals(g.trainableParameters(), trainable, () -> spec.name()
                    + ": parameters the engine trains vs the graph's trainable count");
            NDArray inference = net.forward(x, false);
            assertEquals(new Shape(BATCH, spec.numClasses()), inference.getShape(), spec.name() + ": logits");
            assertAllFinite(inference.toFloatArray(), spec.name() + ": inference logits");
        }
    }

    // ------------------------------------------------------------------ determinism

    /**
     * Two networks built from the recipe with one seed start with identical weights and stay identical through
     * {@link #TRAINING_STEPS} Adam steps on the same data (dropout included), and another seed starts elsewhere. The
     * second network's steps overwrite freed native memory between forward and backward
     * ({@link Fixtures#overwriteFreedNativeMemory}), so a kernel whose backward reads a freed DJL scalar makes the
     * two differ.
     */
    public static void seededDeterminism(ProviderRegistry registry, ArchitectureSpec spec, long seed) {
        Graph first = registry.build(spec);
        Graph second = registry.build(spec);
        assertEquals(first.parameters(), second.parameters(), () -> spec.name()
                + ": building the recipe twice gave different parameters (names, shapes or initialisers)");
        try (Network a = Network.create(first, seed, Device.cpu());
             Network b = Network.create(second, seed, Device.cpu())) {
            assertSameValues(first, a, b, spec.name() + ": initial weights for seed " + seed);
            float[] initialKernel = a.parameterValues(firstKernel(first));
            double[] lossesA = train(a, spec, seed, () -> { });
            double[] lossesB = train(b, spec, seed, Fixtures::overwriteFreedNativeMemory);
            assertArrayEquals(lossesA, lossesB, 0.0, () -> spec.name() + ": training losses for seed " + seed
                    + " (the second run overwrote freed native memory before each backward pass: does a kernel give"
                    + " autograd a Number operand, such as maximum(0f), that DJL frees at once?)");
            for (double loss : lossesA) {
                assertTrue(Double.isFinite(loss), () -> spec.name() + ": training loss " + loss);
            }
            assertSameValues(first, a, b, spec.name() + ": weights and statistics after " + TRAINING_STEPS
                    + " training steps, the second with freed native memory overwritten before each backward pass");
            try (Network other = Network.create(first, seed + 1, Device.cpu())) {
                assertFalse(java.util.Arrays.equals(initialKernel, other.parameterValues(firstKernel(first))),
                        () -> spec.name() + ": seeds " + seed + " and " + (seed + 1) + " give the same initial weights");
            }
        }
    }

    private static double[] train(Network net, ArchitectureSpec spec, long seed, Runnable beforeBackward) {
        Engine engine = net.manager().getEngine();
        TrainStep step = new TrainStep(net, Optimizer.create("adam", net.parameters(), 0.9, false, 0.0));
        Dims in = net.graph().inputShape();
        double[] losses = new double[TRAINING_STEPS];
        for (int s = 0; s < TRAINING_STEPS; s++) {
            engine.setRandomSeed((int) (seed * 31 + s));
            Random labels = new Random(seed + s);
            float[] y = new float[BATCH];
            for (int i = 0; i < BATCH; i++) {
                y[i] = labels.nextInt(spec.numClasses());
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDManager m = net.manager();
                losses[s] = step.run(m.create(gaussian(BATCH * in.size(), seed + 100 + s), new Shape(in.withBatch(BATCH))),
                        m.create(y, new Shape(BATCH)), 1e-3, beforeBackward)[0];
            }
        }
        return losses;
    }

    private static void assertSameValues(Graph g, Network a, Network b, String what) {
        for (ParamSpec p : g.parameters()) {
            assertArrayEquals(a.parameterValues(p.name()), b.parameterValues(p.name()), () -> what + ": " + p.name());
        }
    }

    private static String firstKernel(Graph g) {
        return g.parameters().stream().filter(p -> p.kind() == ParamSpec.Kind.WEIGHT).findFirst()
                .orElseThrow(() -> new AssertionError(g.name() + " has no weights")).name();
    }

    // ------------------------------------------------------------------ ONNX

    /**
     * After two training-mode passes have moved the batch-norm statistics off their initial values, the
     * network exports to a structurally valid ONNX model that records its parameter count, and ONNX Runtime's
     * logits on {@link #ONNX_IMAGES} images agree with the engine's within {@link #ONNX_TOLERANCES}, in both
     * forms: the training form's plain nodes also check the engine's fused evaluation of path expansions.
     */
    public static void onnxParity(ProviderRegistry registry, ArchitectureSpec spec, long seed) {
        Graph g = registry.build(spec);
        Path dir = null;
        try (Network net = Network.create(g, seed, Device.cpu())) {
            for (int pass = 0; pass < 2; pass++) {
                try (NDManager m = net.manager().newSubManager()) {
                    net.forward(m.create(gaussian(ONNX_BATCH * g.inputShape().size(), seed + 200 + pass),
                            new Shape(g.inputShape().withBatch(ONNX_BATCH))), true);
                }
            }
            dir = Files.createTempDirectory("cnn-tck-");
            for (OnnxForm form : OnnxForm.values()) {
                onnxParity(spec, net, form, OnnxExporter.export(net, metadata(spec), form,
                        dir.resolve(spec.name() + "-" + form.settingValue() + ".onnx")), seed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(spec.name() + ": ONNX export or check could not use its files", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void onnxParity(ArchitectureSpec spec, Network net, OnnxForm form, Path file, long seed)
            throws IOException {
        Graph g = net.graph();
        String label = spec.name() + " (" + form.settingValue() + " form)";
        var model = OnnxExporter.read(file);
        assertEquals(List.of(), OnnxModelRules.violations(model), label + ": ONNX structural rules");
        assertEquals(Long.toString(g.trainableParameters()),
                OnnxExporter.metadata(model).get(OnnxExporter.KEY_TRAINABLE_PARAMETERS),
                label + ": parameter count recorded in the ONNX file");
        List<OnnxCheck.Batch> batches = new ArrayList<>();
        Random labels = new Random(seed);
        for (int b = 0; b < ONNX_IMAGES / ONNX_BATCH; b++) {
            int[] y = new int[ONNX_BATCH];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels.nextInt(spec.numClasses());
            }
            batches.add(new OnnxCheck.Batch(gaussian(ONNX_BATCH * g.inputShape().size(), seed + 300 + b), y,
                    ONNX_BATCH));
        }
        OnnxCheckResult r = new OnnxCheck(ONNX_TOLERANCES).run(file, net, batches.iterator());
        assertTrue(r.passed(), () -> label + ": " + r.message());
    }

    /** The kit feeds already-normalised values, so the recorded normalisation is the identity. */
    private static ModelMetadata metadata(ArchitectureSpec spec) {
        int channels = spec.inputShape().channels();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        java.util.Arrays.fill(std, 1.0);
        List<String> classes = new ArrayList<>();
        if (spec.numClasses() == ModelMetadata.CIFAR10_CLASSES.size()) {
            classes.addAll(ModelMetadata.CIFAR10_CLASSES);
        } else {
            for (int c = 0; c < spec.numClasses(); c++) {
                classes.add("class" + c);
            }
        }
        return ModelMetadata.of(spec.name(), mean, std, classes);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary file must not hide the check's own result.
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertAllFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                fail(what + ": value " + i + " is " + values[i]);
            }
        }
    }

    /** Standard-normal values: what a normalised image looks like to the network. */
    static float[] gaussian(long n, long seed) {
        return Fixtures.gaussian(Math.toIntExact(n), seed);
    }
}
