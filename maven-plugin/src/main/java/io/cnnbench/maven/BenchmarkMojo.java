package io.cnnbench.maven;

import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.Options;
import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.BenchmarkRunner;
import io.cnnbench.core.bench.OutputLock;
import io.cnnbench.core.bench.RunLedger;
import io.cnnbench.core.bench.Setting;
import io.cnnbench.core.bench.Shard;
import io.cnnbench.core.bench.Settings;
import io.cnnbench.core.djl.CpuFlags;
import io.cnnbench.core.djl.Precision;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.reports.Baseline;
import io.cnnbench.reports.CsvFormatException;
import java.io.UncheckedIOException;
import java.time.Duration;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.Environment;
import io.cnnbench.reports.History;
import io.cnnbench.reports.HtmlReport;
import io.cnnbench.reports.RunFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.apache.maven.artifact.Artifact;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.RemoteRepository;

/**
 * {@code mvn cnn:benchmark}: trains every selected architecture on CIFAR-10, evaluates it on the test split
 * and writes {@code results.csv}, per-architecture {@code history.csv}, {@code confusion.csv} and checkpoints
 * to {@code cnn.outputDirectory}, then {@code summary.csv} and {@code report.html}, and checks the
 * configured rules against the baseline (as {@code cnn:check}). Runs once per build, not once per module.
 * Fails the build when an architecture fails or a rule is broken.
 *
 * <p>Over the usual size because Maven takes a goal's parameters only as annotated fields: about 120 lines are
 * the one-per-setting fields that mirror {@link io.cnnbench.core.bench.Settings} (SettingsDescriptorTest keeps
 * them in step); the rest is the life of the goal, with class path and natives in {@link NativesClasspath}.
 */
@Mojo(name = "benchmark", requiresProject = false, aggregator = true, threadSafe = true)
public class BenchmarkMojo extends AbstractGateMojo {

    // The run's settings. Each is declared, defaulted and checked once, in io.cnnbench.core.bench.Settings; these
    // fields only carry what the POM or -D gave (text, so that Settings' checks word every error), and
    // SettingsDescriptorTest fails when they and the table disagree.

    /** See {@link io.cnnbench.core.bench.Settings#EPOCHS}. */
    @Parameter(property = "cnn.epochs")
    private String epochs;

    /** See {@link io.cnnbench.core.bench.Settings#BATCH_SIZE}. */
    @Parameter(property = "cnn.batchSize")
    private String batchSize;

    /** See {@link io.cnnbench.core.bench.Settings#LEARNING_RATE}. */
    @Parameter(property = "cnn.learningRate")
    private String learningRate;

    /** See {@link io.cnnbench.core.bench.Settings#OPTIMIZER}. */
    @Parameter(property = "cnn.optimizer")
    private String optimizer;

    /** See {@link io.cnnbench.core.bench.Settings#MOMENTUM}. */
    @Parameter(property = "cnn.momentum")
    private String momentum;

    /** See {@link io.cnnbench.core.bench.Settings#NESTEROV}. */
    @Parameter(property = "cnn.nesterov")
    private String nesterov;

    /** See {@link io.cnnbench.core.bench.Settings#WEIGHT_DECAY}. */
    @Parameter(property = "cnn.weightDecay")
    private String weightDecay;

    /** See {@link io.cnnbench.core.bench.Settings#SEED}. */
    @Parameter(property = "cnn.seed")
    private String seed;

    /** See {@link io.cnnbench.core.bench.Settings#SEEDS}. */
    @Parameter(property = "cnn.seeds")
    private String seeds;

    /** See {@link io.cnnbench.core.bench.Settings#DEVICE}. */
    @Parameter(property = "cnn.device")
    private String device;

    /** See {@link io.cnnbench.core.bench.Settings#DEVICES}. */
    @Parameter(property = "cnn.devices")
    private String devices;

    /** See {@link io.cnnbench.core.bench.Settings#EARLY_STOPPING_PATIENCE}. */
    @Parameter(property = "cnn.earlyStoppingPatience")
    private String earlyStoppingPatience;

    /**
     * The PyTorch natives of the training JVM: {@code cpu} (the bundled CPU-only libtorch 2.7.1), {@code cu124}
     * (libtorch 2.5.1 for CUDA 12.4 with DJL 0.33.0, resolved by Maven from your repositories: a 2.5 GB jar, once),
     * or {@code auto}: cu124 for {@code cnn.device=gpu}, and for {@code auto} where an NVIDIA driver is installed;
     * cpu otherwise.
     */
    @Parameter(property = "cnn.natives", defaultValue = "auto")
    private String natives;

    @Component
    private RepositorySystem repositorySystem;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    private RepositorySystemSession repositorySession;

    @Parameter(defaultValue = "${project.remotePluginRepositories}", readonly = true, required = true)
    private List<RemoteRepository> pluginRepositories;


    /** See {@link io.cnnbench.core.bench.Settings#SCHEDULE}. */
    @Parameter(property = "cnn.schedule")
    private String schedule;

    /** See {@link io.cnnbench.core.bench.Settings#ZERO_INIT_RESIDUAL}. */
    @Parameter(property = "cnn.zeroInitResidual")
    private String zeroInitResidual;

    /** See {@link io.cnnbench.core.bench.Settings#PROTOCOL}. */
    @Parameter(property = "cnn.protocol")
    private String protocol;

    /** See {@link io.cnnbench.core.bench.Settings#EVAL_BATCH_SIZE}. */
    @Parameter(property = "cnn.evalBatchSize")
    private String evalBatchSize;

    /** See {@link io.cnnbench.core.bench.Settings#AUGMENTATION}. */
    @Parameter(property = "cnn.augmentation")
    private String augmentation;

    /** See {@link io.cnnbench.core.bench.Settings#PRECISION}. */
    @Parameter(property = "cnn.precision")
    private String precision;

    /** See {@link io.cnnbench.core.bench.Settings#DATASET}. */
    @Parameter(property = "cnn.dataset")
    private String dataset;

    /** See {@link io.cnnbench.core.bench.Settings#DATASET_CHECKSUM}. */
    @Parameter(property = "cnn.datasetChecksum")
    private String datasetChecksum;

    /** See {@link io.cnnbench.core.bench.Settings#TRAIN_LIMIT}. */
    @Parameter(property = "cnn.trainLimit")
    private String trainLimit;

    /** See {@link io.cnnbench.core.bench.Settings#TEST_LIMIT}. */
    @Parameter(property = "cnn.testLimit")
    private String testLimit;

    /** See {@link io.cnnbench.core.bench.Settings#VALIDATION_SPLIT}. */
    @Parameter(property = "cnn.validationSplit")
    private String validationSplit;

    /** See {@link io.cnnbench.core.bench.Settings#EXTRACT_MAX_BYTES}. */
    @Parameter(property = "cnn.extractMaxBytes")
    private String extractMaxBytes;

    /** See {@link io.cnnbench.core.bench.Settings#EXTRACT_MAX_ENTRIES}. */
    @Parameter(property = "cnn.extractMaxEntries")
    private String extractMaxEntries;

    /** See {@link io.cnnbench.core.bench.Settings#DOWNLOAD_TIMEOUT}. */
    @Parameter(property = "cnn.downloadTimeout")
    private String downloadTimeout;

    /** See {@link io.cnnbench.core.bench.Settings#DOWNLOAD_ATTEMPTS}. */
    @Parameter(property = "cnn.downloadAttempts")
    private String downloadAttempts;

    /** See {@link io.cnnbench.core.bench.Settings#CACHE_LOCK_TIMEOUT}. */
    @Parameter(property = "cnn.cacheLockTimeout")
    private String cacheLockTimeout;

    /** See {@link io.cnnbench.core.bench.Settings#SHARD}. */
    @Parameter(property = "cnn.shard")
    private String shard;

    /** See {@link io.cnnbench.core.bench.Settings#RESUME}. */
    @Parameter(property = "cnn.resume")
    private String resume;

    /** See {@link io.cnnbench.core.bench.Settings#ONNX}. */
    @Parameter(property = "cnn.onnx")
    private String onnx;

    /** See {@link io.cnnbench.core.bench.Settings#ONNX_FORM}. */
    @Parameter(property = "cnn.onnxForm")
    private String onnxForm;

    /** See {@link io.cnnbench.core.bench.Settings#ONNX_CHANNEL_BLOCK}. */
    @Parameter(property = "cnn.onnxChannelBlock")
    private String onnxChannelBlock;

    /** See {@link io.cnnbench.core.bench.Settings#ONNX_RELATIVE_TOLERANCE}. */
    @Parameter(property = "cnn.onnxRelativeTolerance")
    private String onnxRelativeTolerance;

    /** See {@link io.cnnbench.core.bench.Settings#ONNX_MIN_AGREEMENT}. */
    @Parameter(property = "cnn.onnxMinAgreement")
    private String onnxMinAgreement;

    /** See {@link io.cnnbench.core.bench.Settings#INFERENCE_TIMING}. */
    @Parameter(property = "cnn.inferenceTiming")
    private String inferenceTiming;

    /** See {@link io.cnnbench.core.bench.Settings#DATA_CACHE}; a path, resolved against the project. */
    @Parameter(property = "cnn.dataCache")
    private File dataCache;

    /** Train in a forked JVM (allocator settings, crash isolation); false runs inside Maven's JVM. */
    @Parameter(property = "cnn.fork", defaultValue = "true")
    private boolean fork;

    /** JVM options of the forked training JVM. */
    @Parameter(property = "cnn.jvmArgs", defaultValue = "-Xss4m -Xmx4g")
    private String jvmArgs;

    /**
     * Allocator of the forked JVM: {@code auto} (jemalloc keeping its pages where libjemalloc2 is installed, tuned
     * glibc otherwise), {@code jemalloc}, {@code tuned-glibc} or {@code system} (glibc's defaults).
     */
    @Parameter(property = "cnn.allocator", defaultValue = "auto")
    private String allocator;

    /**
     * The longest the training JVM may run, e.g. {@code 90m}, {@code 2h}, {@code 600s} or ISO-8601
     * {@code PT1H30M}; when it passes, the JVM is killed and every architecture without a result fails. Empty: no
     * limit.
     */
    @Parameter(property = "cnn.timeout")
    private String timeout;

    /**
     * The history file this run appends a line per architecture to (commit, branch, machine, protocol, mean and
     * std of the accuracy, images/s); report.html draws accuracy over commits from it. Default:
     * {@code cnn-history.csv} beside {@code cnn.baseline}, or in {@code cnn.outputDirectory} without one.
     */
    @Parameter(property = "cnn.history")
    private File history;

    /** The project's directory: where git is asked for the commit and branch. */
    @Parameter(defaultValue = "${basedir}", readonly = true)
    private File basedir;

    /** The plugin's own dependencies (engine, architectures, and any the user added): the fork's class path. */
    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    private List<Artifact> pluginArtifacts;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("cnn:benchmark skipped (cnn.skip=true)");
            return;
        }
        refuseUnknownProperties();
        BenchmarkConfig cfg = config();
        // Before anything is resolved, unpacked or forked: the natives, and a GPU that cannot be used, in seconds.
        java.util.Optional<Path> driver = CudaNatives.findDriver();
        Natives flavour;
        try {
            flavour = Natives.choose(natives, cfg.get(Settings.DEVICE), driver.isPresent());
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        if (Natives.isAuto(natives)) {
            getLog().info(flavour.autoReason(cfg.get(Settings.DEVICE), driver));
        }
        Duration limit = Durations.parse("cnn.timeout", timeout);
        if (limit != null && !fork) {
            throw new MojoExecutionException("cnn.timeout needs the forked training JVM (cnn.fork=true): a run inside"
                    + " Maven's own JVM cannot be stopped safely");
        }
        ForkedTraining.checkAllocator(allocator); // before the lock; its warnings come once, when it forks
        // A baseline the gate will refuse is refused now, not after hours of training (when the report could not be
        // written either). An update may rewrite the rows it would refuse, so it reads the file itself, later.
        if (baseline != null && baseline.isFile() && !updateBaseline) {
            try {
                Baseline.read(baseline.toPath());
            } catch (CsvFormatException | UncheckedIOException e) {
                throw new MojoExecutionException(e.getMessage() + " (cnn.baseline is read before training, so that"
                        + " the run's gate can judge it)", e);
            }
        }
        // Validated here, before any data is read or a JVM forked: unknown names, and what the run owes a row for.
        List<String> planned = inPluginRealm(() -> {
            try {
                return new BenchmarkRunner(registry(), cfg).plan().stream().map(ArchitectureSpec::name).toList();
            } catch (RuntimeException e) {
                throw new MojoExecutionException(e.getMessage(), e);
            }
        });
        DeviceChoice choice = DeviceChoice.decide(flavour, cfg.get(Settings.DEVICE), fork, driver);
        if (choice.error() != null) {
            throw new MojoExecutionException(choice.error());
        }
        getLog().info(choice.reason());
        cfg.set(Settings.DEVICE, choice.device());
        resolvePrecision(cfg);
        Shard shard = cfg.get(Settings.SHARD);
        RunLedger ledger = new RunLedger(cfg.runId(), planned, cfg.seedList(), shard);
        if (ledger.entries().isEmpty()) {
            throw new MojoExecutionException("cnn.shard=" + shard + " owns none of the run's " + planned.size()
                    * cfg.seedList().size() + " (architecture, seed) pairs: use at most that many shards");
        }
        if (!shard.equals(Shard.ALL)) {
            getLog().info("cnn:benchmark shard " + shard + ": " + ledger.entries().stream()
                    .map(e -> e.architecture() + "/" + e.seed()).toList());
        }
        GpuWorkers workers;
        try {
            workers = GpuWorkers.plan(cfg.get(Settings.DEVICES), choice.device(), GpuInventory.visible(), shard,
                    ledger.entries().size());
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        if (workers != null) {
            for (int w = 0; w < workers.gpus().size(); w++) {
                getLog().info("cnn.devices=" + cfg.get(Settings.DEVICES) + ": GPU " + workers.gpus().get(w)
                        + " trains " + workers.pairs(cfg.runId(), planned, cfg.seedList(), w).stream()
                        .map(e -> e.architecture() + "/" + e.seed()).toList() + " in its own JVM");
            }
        }
        Path out = cfg.outputDirectory();
        getLog().info("cnn:benchmark run " + cfg.runId() + ": " + String.join(", ", planned) + " x "
                + cfg.seedList().size() + " seed" + (cfg.seedList().size() == 1 ? "" : "s") + " -> " + out);
        RunLedger.Settled settled;
        boolean baselineRecorded = false;
        MojoExecutionException historyProblem = null;
        MojoExecutionException baselineProblem = null;
        Path historyFile = RunHistory.file(history, baseline, out);
        List<Path> resultDirectories = List.of(out);
        // The lock is held until the report is written, so another run can't replace the files it is made from.
        try (OutputLock lock = OutputLock.acquire(out, cfg.runId())) {
            Path results = out.resolve(RunFiles.RESULTS);
            replaceEarlierResults(results, ledger);
            String cause;
            try {
                if (workers != null) {
                    cause = forkPerGpu(cfg, limit, flavour, workers);
                    resultDirectories = workers.directories(out);
                } else {
                    cause = fork ? fork(cfg, limit, flavour, driver.isPresent()) : inProcess(cfg);
                }
            } catch (MojoExecutionException e) {
                // The JVM could not even be set up (its configuration file, its class path): still a failure row
                // per architecture, so that no earlier run's rows survive in results.csv.
                getLog().error("cnn:benchmark: " + e.getMessage());
                cause = "the training JVM could not be started: " + e.getMessage();
            }
            List<ResultRow> written = List.of();
            if (Files.exists(results)) {
                try {
                    written = RunFiles.readResults(results);
                } catch (CsvFormatException e) {
                    cause = (cause == null ? "" : cause + "; ") + "results.csv is unreadable: " + e.getMessage();
                }
            }
            settled = ledger.settle(written, cause);
            // How the accuracy was measured travels with it: the gate compares a row only with baseline rows
            // measured under the same protocol.
            String protocol = RunHistory.trainingProtocol(cfg);
            for (ResultRow r : settled.rows()) {
                r.set(ResultColumn.PROTOCOL, protocol);
            }
            if (settled.stale() > 0) {
                getLog().warn("cnn:benchmark: ignored " + settled.stale() + " row(s) of an earlier run in " + results);
            }
            RunFiles.writeResults(results, settled.rows());
            // environment.properties of an earlier run (when this one never got as far as writing its own) is not
            // this run's: leave it out rather than show another run's machine.
            Environment env = Environment.read(resultDirectories.get(0));
            if (env != null && !cfg.runId().equals(env.get(Environment.RUN_ID))) {
                env = null;
            }
            boolean splitRun = !shard.equals(Shard.ALL);
            Path historyTarget = splitRun ? out.resolve(History.SHARD_FILE) : historyFile;
            try {
                if (splitRun) {
                    // One job's seeds are not the run's mean: charted, each job's line would be a run of its own,
                    // and the band would judge a single seed's noise as a moved commit. The job leaves its lines
                    // (commit, machine, protocol) beside its results, and cnn:report merges the whole run's.
                    History.write(historyTarget, RunHistory.entries(cfg, settled.rows(), basedir.toPath(), env));
                    getLog().info("history: not appended by shard " + shard + ", whose rows are part of a run;"
                            + " its line(s) are in " + historyTarget + " for cnn:report to merge once every shard"
                            + " is there");
                } else {
                    int lines = RunHistory.append(historyFile, cfg, settled.rows(), basedir.toPath(), env);
                    if (lines > 0) {
                        getLog().info("history: " + lines + " line(s) appended to " + historyFile);
                    }
                }
            } catch (RuntimeException e) {
                // Raised after the report is written (without the history it could not read), so that a damaged
                // history file does not also cost the run its report.
                historyProblem = new MojoExecutionException((splitRun ? "cannot write this shard's history lines to "
                        : "cannot append to the history ") + historyTarget + ": " + e.getMessage(), e);
                getLog().error(historyProblem.getMessage());
            }
            // A baseline recorded from this run is recorded before the report judges against it, so the report's
            // verdict is the build's; with a failed architecture the build fails below and the baseline is kept
            // (and without a baseline file the gate below says what to configure, after the report is written).
            // An update refused for a row the gate would not compare with is raised after the report, as above.
            if (updateBaseline && baseline != null && settled.allOk()) {
                try {
                    QualityGate.updateBaseline("cnn:benchmark", getLog(), settled.rows(), baseline.toPath());
                    baselineRecorded = true;
                } catch (MojoExecutionException e) {
                    baselineProblem = e;
                    getLog().error(e.getMessage());
                }
            }
            // The report is written before any failure is raised, so a failing build still leaves it to look at.
            ReportWriter.write(getLog(), out, out.resolve(HtmlReport.FILE), resultDirectories, baseline, rules,
                    gateScope(judged(ledger, shard)), historyFile, env, List.of());
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        List<ResultRow> rows = settled.rows();
        StringBuilder failures = new StringBuilder();
        for (ResultRow r : rows) {
            getLog().info(String.format(Locale.ROOT, "%-24s seed %-4s %-6s test accuracy %-8s %s",
                    r.architecture(), r.get(ResultColumn.SEED), r.get(ResultColumn.STATUS),
                    r.get(ResultColumn.TEST_ACCURACY), r.get(ResultColumn.MESSAGE)));
            if (!r.ok()) {
                failures.append("\n  ").append(r.architecture()).append(" (seed ").append(r.get(ResultColumn.SEED))
                        .append("): ").append(r.get(ResultColumn.MESSAGE));
            }
        }
        if (failures.length() > 0) {
            throw new MojoFailureException("cnn:benchmark run " + cfg.runId() + ": architectures failed:" + failures
                    + (historyProblem == null ? "" : "\n  and " + historyProblem.getMessage()));
        }
        if (historyProblem != null) {
            throw historyProblem;
        }
        if (baselineProblem != null) {
            throw baselineProblem;
        }
        if (gateConfigured()) {
            runGate("cnn:benchmark", rows, judged(ledger, shard), updateBaseline && !baselineRecorded);
        } else {
            getLog().info("cnn:benchmark: no gate configured (no <rules>, no cnn.baseline)");
        }
    }

    /**
     * What the gate answers for: with no cnn.architectures and no shard, everything (so a baseline architecture
     * that dropped out of the registry fails); otherwise this run's or this shard's architectures.
     */
    private List<String> judged(RunLedger ledger, Shard shard) {
        if (selectedNames().isEmpty() && shard.equals(Shard.ALL)) {
            return null;
        }
        return ledger.entries().stream().map(RunLedger.Entry::architecture).distinct().toList();
    }

    /**
     * Replaces a requested bf16 by float32, with an INFO line saying why, where it cannot run (a GPU, a CPU without
     * AMX), so that results.csv's protocol and the training JVM's environment say what actually ran.
     */
    private void resolvePrecision(BenchmarkConfig cfg) throws MojoExecutionException {
        if (cfg.get(Settings.PRECISION) != Precision.BF16) {
            return;
        }
        String unavailable = Precision.bf16Unavailable(cfg.get(Settings.DEVICE), CpuFlags.thisCpu());
        if (unavailable != null) {
            getLog().info(unavailable);
            cfg.set(Settings.PRECISION, Precision.FLOAT32.toString());
        } else if (!fork) {
            throw new MojoExecutionException("cnn.precision=bf16 needs the forked training JVM (cnn.fork=true):"
                    + " oneDNN reads its math mode from the environment a process starts with, and Maven's own JVM"
                    + " has started");
        } else {
            getLog().info("cnn.precision=bf16: this CPU has AMX (amx_bf16); oneDNN's convolutions round their inputs"
                    + " to bfloat16, every tensor stays float32");
        }
    }

    /** Trains in a child JVM; returns why rows may be missing, or null when it ended normally. */
    private String fork(BenchmarkConfig cfg, Duration limit, Natives flavour, boolean withDriver)
            throws MojoExecutionException {
        NativesClasspath.Prepared fork = NativesClasspath.prepare(flavour, pluginArtifacts, repositorySystem,
                repositorySession, pluginRepositories, withDriver, getLog());
        ForkedTraining.Outcome outcome = ForkedTraining.run(cfg, fork.classpath(), fork.props(), jvmArgs, allocator,
                limit, getLog());
        String cause = outcome.cause();
        if (cause != null) {
            getLog().error("cnn:benchmark: " + cause);
        }
        return cause;
    }

    /**
     * Trains in one child JVM per GPU ({@code cnn.devices}) and writes their rows, merged, to the run's results.csv;
     * returns why rows may be missing, or null.
     */
    private String forkPerGpu(BenchmarkConfig cfg, Duration limit, Natives flavour, GpuWorkers workers)
            throws MojoExecutionException {
        NativesClasspath.Prepared fork = NativesClasspath.prepare(flavour, pluginArtifacts, repositorySystem,
                repositorySession, pluginRepositories, true, getLog());
        GpuWorkers.Finished finished = workers.run(cfg, fork.classpath(), fork.props(), jvmArgs, allocator, limit,
                getLog());
        RunFiles.writeResults(cfg.outputDirectory().resolve(RunFiles.RESULTS), finished.rows());
        if (finished.cause() != null) {
            getLog().error("cnn:benchmark: " + finished.cause());
        }
        return finished.cause();
    }

    /**
     * Before anything runs, results.csv becomes this run's: an unfinished failure row per pair it owes. If the
     * whole build is killed before it settles, neither an earlier run's rows nor a partial file is left to pass
     * cnn:check, and no earlier shard job's history lines are left for cnn:report to merge.
     */
    private void replaceEarlierResults(Path results, RunLedger ledger) {
        if (Files.exists(results)) {
            try {
                int earlier = ledger.settle(RunFiles.readResults(results), null).stale();
                if (earlier > 0) {
                    getLog().warn("cnn:benchmark: ignored " + earlier + " row(s) of an earlier run in " + results);
                }
            } catch (CsvFormatException e) {
                getLog().warn("cnn:benchmark: replacing an unreadable " + results + " (" + e.getMessage() + ")");
            }
        }
        RunFiles.writeResults(results, ledger.inProgress(List.of()));
        // An earlier shard job's history lines are not this run's: a job that stops before writing its own must
        // leave none, so that cnn:report refuses to merge it rather than take the earlier lines for its.
        Path shardHistory = results.resolveSibling(History.SHARD_FILE);
        try {
            Files.deleteIfExists(shardHistory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove an earlier run's " + shardHistory + ": " + e.getMessage(), e);
        }
    }

    /** Trains inside Maven's JVM (cnn.fork=false); returns why rows may be missing, or null. */
    private String inProcess(BenchmarkConfig cfg) throws MojoExecutionException {
        return inPluginRealm(() -> {
            try {
                new BenchmarkRunner(registry(), cfg).run();
                return null;
            } catch (RuntimeException e) {
                getLog().error("cnn:benchmark: " + e.getMessage());
                return "the run could not complete: " + (e.getMessage() != null ? e.getMessage() : e.toString());
            } catch (OutOfMemoryError e) {
                return "Maven's JVM ran out of Java heap (cnn.fork=false); raise MAVEN_OPTS=-Xmx or fork";
            } catch (LinkageError | StackOverflowError e) {
                getLog().error("cnn:benchmark: " + e);
                return "the run could not complete: " + e;
            }
        });
    }

    private BenchmarkConfig config() throws MojoExecutionException {
        try {
            BenchmarkConfig cfg = new BenchmarkConfig().runId(RunLedger.newRunId()).architectures(selectedNames());
            for (Setting<?> setting : Settings.all()) {
                cfg.set(setting, parameterText(setting));
            }
            for (Composition c : compositions) {
                cfg.compose(c.toCore());
            }
            // The registry's names tell where a dotted key's architecture name ends (vgg_11.bn.depth).
            ProviderRegistry registry = inPluginRealm(this::registry);
            for (Map.Entry<String, Options> e : optionsByArchitecture(architectureNames(registry)).entrySet()) {
                cfg.architectureOptions(e.getKey(), e.getValue());
            }
            return cfg.validate();
        } catch (RuntimeException e) { // IllegalArgumentException from Settings, CifarDataException from the data
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** The POM's or the command line's value of {@code setting}: the field of the same name, as text, or null. */
    private String parameterText(Setting<?> setting) throws MojoExecutionException {
        Object value = MojoFields.read(this, setting.parameter());
        return value instanceof File f ? f.getAbsolutePath() : value == null ? null : value.toString();
    }
}
