package io.cnnbench.core.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.ArchitectureProvider;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.OptionCheck;
import io.cnnbench.api.spi.Options;
import io.cnnbench.api.spi.TrainingDefaults;
import io.cnnbench.cifar.CifarDataset;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.core.djl.Engines;
import io.cnnbench.core.djl.ImageLayout;
import io.cnnbench.core.djl.LayoutCheck;
import io.cnnbench.core.djl.Network;
import io.cnnbench.core.djl.Precision;
import io.cnnbench.core.train.Evaluation;
import io.cnnbench.core.train.MemoryStats;
import io.cnnbench.core.train.NativeAllocator;
import io.cnnbench.core.train.Optimizer;
import io.cnnbench.core.train.Trainer;
import io.cnnbench.core.train.TrainingConfig;
import io.cnnbench.reports.Environment;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.RunFiles;
import io.cnnbench.core.onnx.OnnxCheckResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a benchmark run: resolve architectures, obtain CIFAR-10, then for each architecture and seed
 * build, train, evaluate on the test split, export and check ONNX, and write the run's files. One
 * architecture failing does not stop the others; its row says why.
 */
public final class BenchmarkRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkRunner.class);

    private final ProviderRegistry registry;
    private final BenchmarkConfig config;

    public BenchmarkRunner(ProviderRegistry registry, BenchmarkConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /**
     * The architectures this run will train, with the user's options applied. The options are checked first,
     * before anything is built or read: options for an architecture that is unknown or not selected in this
     * run fail, naming the selected ones; an unknown key or a mistyped value fails naming the key and the valid
     * keys ({@link ProviderRegistry#checkOptions}); a composition's own options are checked the same way
     * against its tail, block and head. Every composition is checked, selected or not ({@link Composition#toSpec}).
     */
    public List<ArchitectureSpec> selectedArchitectures() {
        // Every composition, also one this run does not select: the POM is wrong either way, and a composition
        // without a name could not be told apart from the others below.
        config.compositions().forEach(Composition::toSpec);
        checkNamesAreUnique();
        List<ArchitectureSpec> specs = new ArrayList<>();
        List<String> compositionNames = config.compositions().stream().map(Composition::name).toList();
        if (config.architectures().isEmpty()) {
            for (ArchitectureProvider p : registry.architectures()) {
                ArchitectureSpec s = p.spec();
                if (fitsTheData(s)) {
                    specs.add(s);
                } else {
                    // e.g. the 224x224, 1,000-class reference layouts that exist to check structure
                    LOG.info("{} is registered but not benchmarked by default: it takes {} images and {} classes,"
                            + " the data gives {}x{} and 10 (name it in cnn.architectures to try anyway)", s.name(),
                            s.inputShape(), s.numClasses(), config.augmentation().outputSize(),
                            config.augmentation().outputSize());
                }
            }
        } else {
            for (String name : config.architectures()) {
                Composition composed = config.compositions().stream().filter(c -> c.name().equals(name))
                        .findFirst().orElse(null);
                specs.add(composed != null ? composed.toSpec() : registry.architecture(name).spec());
            }
        }
        if (config.architectures().isEmpty()) {
            for (Composition c : config.compositions()) {
                specs.add(c.toSpec());
            }
        }
        checkOptionTargets(specs, compositionNames);
        List<ArchitectureSpec> withOptions = new ArrayList<>();
        for (ArchitectureSpec s : specs) {
            if (compositionNames.contains(s.name())) {
                try {
                    registry.checkPartOptions(s, s.options());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("composition " + s.name() + " (" + s.tail() + " / " + s.block()
                            + " / " + s.head() + "): " + e.getMessage(), e);
                }
            }
            Options given = withRunWideOptions(s, config.architectureOptions().get(s.name()),
                    compositionNames.contains(s.name()));
            if (given == null) {
                withOptions.add(s);
            } else {
                registry.checkOptions(s, given);
                withOptions.add(s.withOptions(given));
            }
        }
        return withOptions;
    }

    /**
     * An architecture's name is its results folder and the key of its rows in results.csv and the gate, so no two
     * architectures of a run may share one: not a composition and a registered architecture (selected by that
     * name, the composition would replace it unnoticed), not two compositions, and no name selected twice.
     */
    private void checkNamesAreUnique() {
        Map<String, ArchitectureProvider> registered = new HashMap<>();
        registry.architectures().forEach(p -> registered.put(p.name(), p));
        Set<String> compositionNames = new HashSet<>();
        for (Composition c : config.compositions()) {
            ArchitectureProvider clash = registered.get(c.name());
            if (clash != null) {
                throw new IllegalArgumentException("composition " + c.name() + " in the POM has the name of the"
                        + " registered architecture " + c.name() + " (" + clash.getClass().getName() + " from "
                        + ProviderRegistry.origin(clash) + "): rename the composition. To change the registered"
                        + " architecture instead, give it options (-Dcnn.options=" + c.name() + ".block=…)");
            }
            if (!compositionNames.add(c.name())) {
                throw new IllegalArgumentException("two <composition>s are named " + c.name()
                        + " in the POM: rename one (a composition's results are written under its name)");
            }
        }
        Set<String> selected = new HashSet<>();
        for (String name : config.architectures()) {
            if (!selected.add(name)) {
                throw new IllegalArgumentException("cnn.architectures names " + name + " twice: name each"
                        + " architecture once (cnn.seeds trains one with several seeds)");
            }
        }
    }

    /**
     * The architecture's options from cnn.options, plus {@code zeroInitResidual=true} where cnn.zeroInitResidual
     * asks for it and the architecture declares that option (others have no residual branch that knows it), as
     * built: with a block swapped in by cnn.options, the swapped-in block decides. A value the user wrote for the
     * architecture wins: in cnn.options, or in a composition's own {@code <options>}; a registered architecture's
     * own value is its provider's default, which the run-wide setting overrides.
     */
    private Options withRunWideOptions(ArchitectureSpec spec, Options given, boolean composition) {
        boolean explicit = (given != null && given.has("zeroInitResidual"))
                || (composition && spec.options().has("zeroInitResidual"));
        if (!config.get(Settings.ZERO_INIT_RESIDUAL) || explicit) {
            return given;
        }
        ArchitectureSpec built = given == null ? spec : spec.withOptions(given);
        if (registry.declaredOptions(built).stream().noneMatch(o -> o.name().equals("zeroInitResidual"))) {
            return given;
        }
        Options zeroInit = Options.of("zeroInitResidual", "true");
        return given == null ? zeroInit : given.with(zeroInit);
    }

    /** Options may only name an architecture this run selects; anything else is a typo or a forgotten name. */
    private void checkOptionTargets(List<ArchitectureSpec> selected, List<String> compositionNames) {
        List<String> selectedNames = selected.stream().map(ArchitectureSpec::name).toList();
        for (Map.Entry<String, Options> e : config.architectureOptions().entrySet()) {
            String target = e.getKey();
            if (selectedNames.contains(target)) {
                continue;
            }
            Set<String> known = new TreeSet<>(compositionNames);
            registry.architectures().forEach(p -> known.add(p.name()));
            String keys = e.getValue().keys().stream().map(k -> target + "." + k).collect(Collectors.joining(", "));
            String selectedList = selectedNames.isEmpty() ? "(none)" : String.join(", ", selectedNames);
            if (known.contains(target)) {
                throw new IllegalArgumentException("options " + keys + " are given for " + target
                        + ", which this run does not select (name it in cnn.architectures to benchmark it)."
                        + " Selected: " + selectedList);
            }
            String near = OptionCheck.closest(target, known);
            throw new IllegalArgumentException("options " + keys + " are given for an unknown architecture '"
                    + target + "'" + (near == null ? "" : " (did you mean '" + near + "'?)") + ". Selected: "
                    + selectedList + ". Known: " + (known.isEmpty() ? "(none)" : String.join(", ", known)));
        }
    }

    /**
     * Whether {@code s} takes the images and classes this run's data gives (CIFAR-10 at the augmentation's size):
     * the architectures benchmarked when none are named.
     */
    public boolean fitsTheData(ArchitectureSpec s) {
        int size = config.augmentation().outputSize();
        return s.numClasses() == 10 && s.inputShape().equals(io.cnnbench.api.graph.Dims.of(3, size, size));
    }

    /**
     * The architectures this run will train, checked against the data: what the Maven goal validates before it
     * forks, and the list of architectures the run owes a row for.
     */
    public List<ArchitectureSpec> plan() {
        List<ArchitectureSpec> specs = selectedArchitectures();
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("nothing to benchmark: no registered architecture takes the images"
                    + " cnn.augmentation=" + config.augmentation().name().toLowerCase(Locale.ROOT) + " gives; name"
                    + " one in cnn.architectures, or add an architecture jar to the plugin's dependencies");
        }
        Engines.checkDeviceChoice(config.get(Settings.DEVICE));
        for (ArchitectureSpec s : specs) {
            // Each architecture's effective settings, checked now rather than after the data is read.
            TrainingConfig tc = trainingConfig(s.defaults(), config.get(Settings.SEED));
            Optimizer.checkName(tc.optimizer());
            if (!"sgd".equals(tc.optimizer()) && (config.isSet(Settings.MOMENTUM) || config.isSet(Settings.NESTEROV))) {
                LOG.warn("{} trains with {}: cnn.momentum and cnn.nesterov apply to sgd only and are ignored for it"
                        + " (set -Dcnn.optimizer=sgd to use them)", s.name(), tc.optimizer());
            }
            if (!fitsTheData(s)) {
                throw new IllegalArgumentException(s.name() + " takes " + s.inputShape() + " images and "
                        + s.numClasses() + " classes, but CIFAR-10 with cnn.augmentation=" + config.augmentation()
                        .name().toLowerCase(Locale.ROOT) + " gives (3, " + config.augmentation().outputSize() + ", "
                        + config.augmentation().outputSize() + ") and 10 classes");
            }
        }
        return specs;
    }

    public List<ResultRow> run() {
        List<ArchitectureSpec> specs = plan();
        RunLedger ledger = new RunLedger(config.runId(), specs.stream().map(ArchitectureSpec::name).toList(),
                config.seedList(), config.get(Settings.SHARD));
        // Build every graph first: a recipe that cannot be built gets its failure rows before any data is read.
        List<Graph> graphs = new ArrayList<>();
        List<ResultRow> rows = new ArrayList<>();
        Path results = config.outputDirectory().resolve(RunFiles.RESULTS);
        boolean resume = config.get(Settings.RESUME);
        for (ArchitectureSpec s : specs) {
            for (long seed : config.seedList()) {
                if (ledger.includes(s.name(), seed)) {
                    removeEarlierOutputs(ledger.runDirectory(config.outputDirectory(),
                            new RunLedger.Entry(s.name(), seed)), s.name(), resume);
                }
            }
        }
        for (ArchitectureSpec s : specs) {
            graphs.add(buildOrRecordFailure(s, ledger, rows));
        }
        RunFiles.writeResults(results, ledger.inProgress(rows));
        if (graphs.stream().allMatch(java.util.Objects::isNull)) {
            return rows;
        }
        // Before any data is read: oneDNN takes its math mode from this process's environment, not from the config.
        Precision precision = config.get(Settings.PRECISION);
        precision.checkEnvironment(System.getenv());
        CifarDataset data = CifarDataset.load(config.data());
        LOG.info("CIFAR-10 from {}: {} training, {} validation{}, {} test images", data.source(),
                data.train().size(), data.validation().size(), data.validationIsTest() ? " (the test split)" : "",
                data.test().size());
        Engine engine = Engines.pytorch();
        Device device = Engines.device(engine, config.get(Settings.DEVICE));
        // The layout is chosen per device, not set: same machine, same layout, same numbers (ImageLayout says why).
        // Every run below is created with this one, so what environment.properties records is what ran.
        ImageLayout layout = ImageLayout.defaultFor(device);
        NativeAllocator allocator = NativeAllocator.current();
        LOG.info("engine {} {} on {}, images in {} layout, {} convolutions, native memory from {};"
                + " libtorch natives: {}", engine.getEngineName(), engine.getVersion(), Engines.describe(device),
                layout, precision, allocator, Engines.natives());
        if ("auto".equals(config.get(Settings.DEVICE))) {
            LOG.info("cnn.device=auto: the engine sees {} GPU(s), so training on {}", engine.getGpuCount(),
                    Engines.describe(device));
        }
        String deviceName = Engines.describe(device);
        Environment.capture(engine.getEngineName(), engine.getVersion(), deviceName)
                .with("library.djl", Engine.getDjlVersion())
                .with("engine.image_layout", layout.toString())
                .with("engine.precision", precision.toString())
                .with("engine.native_allocator", allocator.describe(System.getenv()))
                .with("engine.pointwise_convolutions", Network.pointwiseAsMatrixProduct(device, layout)
                        ? "matrix products (this CPU shows the libtorch channels-last 1x1 defect)" : "libtorch")
                .with(Environment.RUN_ID, config.runId())
                .write(config.outputDirectory());
        if (layout == ImageLayout.CHANNELS_LAST) {
            for (int i = 0; i < specs.size(); i++) {
                if (graphs.get(i) != null && !computedTheSameInBothLayouts(specs.get(i), graphs.get(i), device,
                        ledger, rows)) {
                    graphs.set(i, null);
                }
            }
        }
        for (int i = 0; i < specs.size(); i++) {
            if (graphs.get(i) == null) {
                continue;
            }
            for (long seed : config.seedList()) {
                if (!ledger.includes(specs.get(i).name(), seed)) {
                    continue; // another CI job's share (cnn.shard)
                }
                ResultRow row = runOne(specs.get(i), graphs.get(i), seed, ledger, data, device, deviceName, layout);
                rows.add(row.set(ResultColumn.RUN_ID, config.runId()).set(ResultColumn.SHARD,
                        config.get(Settings.SHARD).toString()));
                RunFiles.writeResults(results, ledger.inProgress(rows));
            }
        }
        LOG.info("results: {}", results.toAbsolutePath());
        return rows;
    }

    /**
     * Removes what an earlier run left in a pair's folder that this run writes again, before anything trains: the
     * folder must hold only this run's files, whatever happens to the pair. Otherwise a pair that fails, or is
     * not exported (cnn.onnx=false), sits beside an earlier run's confusion matrix or ONNX file, which the report
     * and a user would take for this run's; and a run that starts over and is killed early leaves another pair's
     * finished checkpoint, which a rerun with cnn.resume=true would "resume" after zero epochs and report under its
     * own run id. A resumed run keeps its checkpoints and the history they continue.
     */
    static void removeEarlierOutputs(Path pairDirectory, String architecture, boolean resume) {
        List<Path> earlier = new ArrayList<>(List.of(pairDirectory.resolve(RunFiles.CONFUSION),
                pairDirectory.resolve(RunFiles.PER_CLASS), pairDirectory.resolve(OnnxStage.fileName(architecture))));
        if (!resume) {
            earlier.add(pairDirectory.resolve(RunFiles.HISTORY));
            earlier.add(pairDirectory.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST_CHECKPOINT));
            earlier.add(pairDirectory.resolve(Trainer.CHECKPOINTS).resolve(Trainer.BEST_CHECKPOINT));
        }
        List<String> removed = new ArrayList<>();
        for (Path file : earlier) {
            try {
                if (Files.deleteIfExists(file)) {
                    removed.add(pairDirectory.relativize(file).toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file + ", left by an earlier run, before this run"
                        + " writes its own: " + e.getMessage() + "; remove it by hand", e);
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("{}: removed {} of an earlier run from {}{}", architecture, String.join(", ", removed),
                    pairDirectory, resume ? " (the checkpoints stay: cnn.resume=true)" : "");
        }
    }

    /**
     * The architecture's graph, or {@code null} after recording a failure row per seed naming the architecture and
     * what its provider threw: one broken plugin must not hide the others' results, nor pass unnoticed.
     */
    private Graph buildOrRecordFailure(ArchitectureSpec spec, RunLedger ledger, List<ResultRow> rows) {
        try {
            return registry.build(spec);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            failEveryRun(spec, "could not build " + spec.name() + ": " + describe(e), ledger, rows);
            return null;
        }
    }

    /**
     * Fails {@code spec}'s runs before they train where libtorch computes its network differently in channels-last
     * than in NCHW on this CPU ({@link LayoutCheck}): either layout would train on wrong numbers there.
     */
    private boolean computedTheSameInBothLayouts(ArchitectureSpec spec, Graph graph, Device device, RunLedger ledger,
                                                 List<ResultRow> rows) {
        Optional<String> difference = LayoutCheck.disagreement(graph, device, true);
        if (difference.isEmpty()) {
            return true;
        }
        // The message says whether this CPU shows the known libtorch defect, so that a reader (and CI) can tell it
        // from a disagreement this code caused.
        String cause = "libtorch computes " + spec.name() + " differently in channels-last than in NCHW on this CPU ("
                + difference.get() + "), so training would learn from wrong numbers. "
                + (LayoutCheck.knownDefectPresent()
                ? LayoutCheck.KNOWN_DEFECT_MESSAGE + "; run this architecture on another CPU or on a GPU."
                : "This CPU does not show the known libtorch defect (a plain 1x1 convolution to 40 channels is right"
                        + " in channels-last here), so the disagreement is more likely a fault in cnnbench: please"
                        + " report it.");
        failEveryRun(spec, cause, ledger, rows);
        return false;
    }

    /** A failure row, with {@code cause}, for each of {@code spec}'s runs this job owns; nothing of it trains. */
    private void failEveryRun(ArchitectureSpec spec, String cause, RunLedger ledger, List<ResultRow> rows) {
        LOG.error(cause);
        for (long seed : config.seedList()) {
            if (ledger.includes(spec.name(), seed)) {
                rows.add(ledger.failure(new RunLedger.Entry(spec.name(), seed), cause));
            }
        }
    }

    private static String describe(Throwable e) {
        String text = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getName() + text;
    }

    private ResultRow runOne(ArchitectureSpec spec, Graph graph, long seed, RunLedger ledger, CifarDataset data,
                             Device device, String deviceName, ImageLayout layout) {
        TrainingConfig tc = trainingConfig(spec.defaults(), seed);
        RunLedger.Entry entry = new RunLedger.Entry(spec.name(), seed);
        Path dir = ledger.runDirectory(config.outputDirectory(), entry);
        ResultRow row = new ResultRow()
                .set(ResultColumn.ARCHITECTURE, spec.name())
                .set(ResultColumn.SEED, seed)
                .set(ResultColumn.RUN_DIRECTORY, ledger.runDirectoryName(entry))
                .set(ResultColumn.TRAINABLE_PARAMS, graph.trainableParameters())
                .set(ResultColumn.MACS, graph.macs())
                .set(ResultColumn.BATCH_SIZE, tc.batchSize())
                .set(ResultColumn.TRAIN_IMAGES, data.train().size())
                .set(ResultColumn.DEVICE, deviceName);
        LOG.info("{} (seed {}): {} trainable parameters, {} MACs; {} epochs, batch {}, {} at lr {}", spec.name(),
                seed, graph.trainableParameters(), graph.macs(), tc.epochs(), tc.batchSize(), tc.optimizer(),
                tc.learningRate());
        // Each (architecture, seed) starts lean and is measured on its own: the heap the data loading or the
        // previous run grew goes back first, and the row's peak is this run's, not the process's so far.
        LOG.info("{} (seed {}): before training, {}", spec.name(), seed, MemoryStats.releaseUnused());
        MemoryStats.startPhase();
        try (Network net = Network.create(graph, seed, device, true, layout)) {
            Trainer trainer = new Trainer(net, tc, dir.resolve(Trainer.CHECKPOINTS), new ProgressLog(spec.name(), dir),
                    resumeContext(spec, graph.trainableParameters(), device));
            int evalBatchSize = config.get(Settings.EVAL_BATCH_SIZE);
            Trainer.Outcome outcome = trainer.fit(data.train(), data.validation(), evalBatchSize,
                    config.get(Settings.RESUME));
            row.set(ResultColumn.EPOCHS, outcome.history().size())
                    .set(ResultColumn.TRAIN_SECONDS, outcome.trainSeconds())
                    .set(ResultColumn.TRAIN_IMAGES_PER_SECOND, outcome.trainImagesPerSecond())
                    .set(ResultColumn.BEST_VAL_LOSS, outcome.bestValLoss())
                    .set(ResultColumn.BEST_VAL_ACCURACY, outcome.bestValAccuracy())
                    .set(ResultColumn.RSS_AFTER_FIRST_EPOCH_MB, outcome.rssAfterFirstEpochMb())
                    .set(ResultColumn.RSS_AFTER_LAST_EPOCH_MB, outcome.rssAfterLastEpochMb());
            if (outcome.failure() != null) {
                LOG.error("{}: {}", spec.name(), outcome.failure());
                return withMemory(row.set(ResultColumn.STATUS, ResultRow.FAILED)
                        .set(ResultColumn.MESSAGE, outcome.failure()));
            }
            if (outcome.stoppedEarly()) {
                LOG.info("{}: stopped early after epoch {} (no lower validation loss for {} epochs)", spec.name(),
                        outcome.history().size(), tc.earlyStoppingPatience());
            }
            // Without a validation split the last epoch's validation pass was the test split, of the network as
            // it is now, at the same batch size: it is the test evaluation, and a second pass would repeat it.
            boolean reuse = data.validationIsTest() && outcome.lastValidation() != null;
            Evaluation test = reuse ? outcome.lastValidation()
                    : trainer.evaluate(data.test(), evalBatchSize, spec.numClasses());
            if (!Double.isFinite(test.accuracy()) || !Double.isFinite(test.loss())) {
                // Fail closed: a NaN accuracy must never reach a gate or a baseline as a number.
                return withMemory(row.set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.MESSAGE,
                        "test accuracy " + test.accuracy() + ", test loss " + test.loss() + " on " + test.images()
                        + " test images: not a usable result"));
            }
            RunFiles.writeConfusion(dir.resolve(RunFiles.CONFUSION), data.classNames(), test.confusion());
            RunFiles.writePerClass(dir.resolve(RunFiles.PER_CLASS), data.classNames(), test.confusion());
            row.set(ResultColumn.TEST_ACCURACY, test.accuracy())
                    .set(ResultColumn.TEST_LOSS, test.loss())
                    .set(ResultColumn.EVAL_IMAGES_PER_SECOND, test.imagesPerSecond());
            LOG.info("{} (seed {}): test accuracy {} ({} images{}), test loss {}", spec.name(), seed,
                    fmt(test.accuracy()), test.images(), reuse ? ", the last epoch's validation pass" : "",
                    fmt(test.loss()));
            if (config.get(Settings.ONNX)) {
                // The ONNX stage is a phase of its own, started after the training's free memory is returned, so
                // its peak is what it needs, not stacked on what training left behind.
                withMemory(row);
                LOG.info("{} (seed {}): peak RSS while training {} MiB; before the ONNX stage, {}", spec.name(), seed,
                        Math.round(row.getDouble(ResultColumn.PEAK_RSS_MB)), MemoryStats.releaseUnused());
                MemoryStats.startPhase();
                OnnxCheckResult check = new OnnxStage(config).exportAndCheck(spec, net, dir, data, test, row);
                LOG.info("{} (seed {}): peak RSS of the ONNX stage {} MiB", spec.name(), seed,
                        Math.round(MemoryStats.phasePeakRssMb()));
                if (!check.passed()) {
                    return withMemory(row.set(ResultColumn.STATUS, ResultRow.FAILED)
                            .set(ResultColumn.MESSAGE, check.message()));
                }
            }
            row.set(ResultColumn.STATUS, ResultRow.OK);
        } catch (RuntimeException | IOException e) {
            LOG.error("{} failed: {}", spec.name(), e.toString());
            row.set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.MESSAGE, describe(e));
        } catch (OutOfMemoryError e) {
            // The Java heap, not the machine: what this architecture allocated is garbage now, so the next
            // architecture can still run. Native memory exhaustion ends the process instead (a signal).
            LOG.error("{} ran out of Java heap: {}", spec.name(), e.getMessage());
            row.set(ResultColumn.STATUS, ResultRow.FAILED).set(ResultColumn.MESSAGE, "out of memory (Java heap: "
                    + e.getMessage() + "); give the training JVM more with -Dcnn.jvmArgs=\"-Xss4m -Xmx8g\"");
        }
        return withMemory(row);
    }

    /**
     * This run's peak RSS and the JVM's share of it, folded into what the row holds from earlier phases: the
     * current phase's peak against the training phase's, and what the JVM holds now against what it held when
     * training ended (the ONNX stage starts after a full GC, so its end alone could understate the JVM's share).
     */
    private static ResultRow withMemory(ResultRow row) {
        double peak = MemoryStats.phasePeakRssMb();
        double jvm = MemoryStats.jvmCommittedMb();
        if (row.has(ResultColumn.PEAK_RSS_MB)) {
            peak = Math.max(peak, row.getDouble(ResultColumn.PEAK_RSS_MB));
            jvm = Math.max(jvm, row.getDouble(ResultColumn.JVM_COMMITTED_MB));
        }
        return row.set(ResultColumn.PEAK_RSS_MB, peak).set(ResultColumn.JVM_COMMITTED_MB, jvm);
    }

    /**
     * What a checkpoint must also match to be resumed: the data, the network's options and size, and whatever else
     * changes the numbers a continued run gets. Settings at their usual value add nothing, so that checkpoints
     * written before they were listed still resume.
     */
    String resumeContext(ArchitectureSpec spec, long trainableParameters, Device device) {
        int evalBatchSize = config.get(Settings.EVAL_BATCH_SIZE);
        return "dataset=" + config.data().dataset() + ",checksum=" + config.data().checksum().orElse("")
                + ",trainLimit=" + config.data().trainLimit() + ",testLimit=" + config.data().testLimit()
                + ",validationSplit=" + config.data().validationSplit()
                // The split is drawn once per run with cnn.seed (the first seed), not with each pair's own seed,
                // so rerunning one seed of a multi-seed run alone holds out other images.
                + (config.data().validationSplit() > 0 && config.data().seed() != DataOptions.DEFAULT_SEED
                        ? ",splitSeed=" + config.data().seed() : "")
                + ",options=" + spec.options().asMap()
                + ",params=" + trainableParameters
                // A bf16 run does not continue a float32 one, nor the reverse; float32 adds nothing, so that
                // checkpoints written before cnn.precision existed still resume.
                + (config.get(Settings.PRECISION) == Precision.BF16 ? ",precision=bf16" : "")
                // Another device runs other kernels (and on a GPU other natives and another image layout).
                + (device.isGpu() ? ",device=gpu" : "")
                // The validation loss picks the best checkpoint and stops early; its last bits follow the batch.
                + (evalBatchSize != Settings.EVAL_BATCH_SIZE.defaultValue() ? ",evalBatchSize=" + evalBatchSize : "");
    }

    private TrainingConfig trainingConfig(TrainingDefaults d, long seed) {
        return new TrainingConfig(
                orDefault(Settings.EPOCHS, d.epochs()),
                orDefault(Settings.BATCH_SIZE, d.batchSize()),
                orDefault(Settings.LEARNING_RATE, d.learningRate()),
                orDefault(Settings.OPTIMIZER, d.optimizer()),
                config.get(Settings.MOMENTUM), config.get(Settings.NESTEROV),
                orDefault(Settings.WEIGHT_DECAY, d.weightDecay()),
                seed, config.get(Settings.EARLY_STOPPING_PATIENCE), config.augmentation(), config.get(Settings.SCHEDULE));
    }

    /** The user's value, or the architecture's default where the table leaves it to the architecture. */
    private <T> T orDefault(Setting<T> setting, T architectures) {
        T v = config.get(setting);
        return v != null ? v : architectures;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
