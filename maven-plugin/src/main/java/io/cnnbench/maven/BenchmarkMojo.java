package io.cnnbench.maven;

import io.cnnbench.api.spi.Options;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.BenchmarkRunner;
import io.cnnbench.core.bench.OutputLock;
import io.cnnbench.core.bench.RunLedger;
import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.reports.CsvFormatException;
import java.io.UncheckedIOException;
import java.time.Duration;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import io.cnnbench.reports.Environment;
import io.cnnbench.reports.HtmlReport;
import io.cnnbench.reports.RunFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.apache.maven.artifact.Artifact;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn cnn:benchmark}: trains every selected architecture on CIFAR-10, evaluates it on the test split
 * and writes {@code results.csv}, per-architecture {@code history.csv}, {@code confusion.csv} and checkpoints
 * to {@code cnn.outputDirectory}, then {@code summary.csv} and {@code report.html}, and checks the
 * configured rules against the baseline (as {@code cnn:check}). Runs once per build, not once per module.
 * Fails the build when an architecture fails or a rule is broken.
 */
@Mojo(name = "benchmark", requiresProject = false, aggregator = true, threadSafe = true)
public class BenchmarkMojo extends AbstractGateMojo {

    /** Epochs; default: the architecture's (the notebook trained 30). */
    @Parameter(property = "cnn.epochs")
    private Integer epochs;

    /** Batch size; default: the architecture's (64). */
    @Parameter(property = "cnn.batchSize")
    private Integer batchSize;

    /** Peak learning rate; default: the architecture's (0.001). */
    @Parameter(property = "cnn.learningRate")
    private Double learningRate;

    /** {@code adam} or {@code sgd}; default: the architecture's (adam). */
    @Parameter(property = "cnn.optimizer")
    private String optimizer;

    /** SGD momentum. */
    @Parameter(property = "cnn.momentum", defaultValue = "0.9")
    private double momentum;

    /** SGD with Nesterov momentum. */
    @Parameter(property = "cnn.nesterov", defaultValue = "false")
    private boolean nesterov;

    /** L2 weight decay added to the gradients. */
    @Parameter(property = "cnn.weightDecay")
    private Double weightDecay;

    /** Seed for initialisation, shuffling, augmentation and dropout. */
    @Parameter(property = "cnn.seed", defaultValue = "42")
    private long seed;

    /** Seeds per architecture (seed, seed + 1, …); results carry one row per seed. */
    @Parameter(property = "cnn.seeds", defaultValue = "1")
    private int seeds;

    /** {@code cpu}, {@code gpu} or {@code auto}. */
    @Parameter(property = "cnn.device", defaultValue = "auto")
    private String device;

    /** Stop after this many epochs without a lower validation loss; 0 = off (the notebook used 4). */
    @Parameter(property = "cnn.earlyStoppingPatience", defaultValue = "0")
    private int earlyStoppingPatience;

    /** {@code notebook} (flip + random 28×28 crop) or {@code pad4_crop32}. */
    @Parameter(property = "cnn.augmentation", defaultValue = "notebook")
    private String augmentation;

    /** {@code cifar10}, {@code cifar10-sample}, a path to an archive or extracted directory, or a URL. */
    @Parameter(property = "cnn.dataset", defaultValue = "cifar10")
    private String dataset;

    /** Expected checksum of a user-given archive, {@code sha256:HEX} or {@code md5:HEX}. */
    @Parameter(property = "cnn.datasetChecksum")
    private String datasetChecksum;

    /** Where downloaded and extracted data is cached. */
    @Parameter(property = "cnn.dataCache")
    private File dataCache;

    /** Use at most this many training images (0 = all). */
    @Parameter(property = "cnn.trainLimit", defaultValue = "0")
    private int trainLimit;

    /** Use at most this many test images (0 = all). */
    @Parameter(property = "cnn.testLimit", defaultValue = "0")
    private int testLimit;

    /** Fraction of training images held out for validation (0 = validate on the test split, as the notebook). */
    @Parameter(property = "cnn.validationSplit", defaultValue = "0")
    private double validationSplit;

    /** Continue interrupted training from each architecture's last checkpoint. */
    @Parameter(property = "cnn.resume", defaultValue = "false")
    private boolean resume;

    /** Export each trained model to ONNX and check it in ONNX Runtime. */
    @Parameter(property = "cnn.onnx", defaultValue = "true")
    private boolean onnx;

    /** Train in a forked JVM (allocator settings, crash isolation); false runs inside Maven's JVM. */
    @Parameter(property = "cnn.fork", defaultValue = "true")
    private boolean fork;

    /** JVM options of the forked training JVM. */
    @Parameter(property = "cnn.jvmArgs", defaultValue = "-Xss4m -Xmx4g")
    private String jvmArgs;

    /** Allocator of the forked JVM: {@code tuned-glibc}, {@code jemalloc} (if installed) or {@code system}. */
    @Parameter(property = "cnn.allocator", defaultValue = "tuned-glibc")
    private String allocator;

    /**
     * The longest the training JVM may run, e.g. {@code 90m}, {@code 2h}, {@code 600s} or ISO-8601
     * {@code PT1H30M}; when it passes, the JVM is killed and every architecture without a result fails. Empty: no
     * limit.
     */
    @Parameter(property = "cnn.timeout")
    private String timeout;

    /** The plugin's own dependencies (engine, architectures, and any the user added): the fork's class path. */
    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    private List<Artifact> pluginArtifacts;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("cnn:benchmark skipped (cnn.skip=true)");
            return;
        }
        BenchmarkConfig cfg = config();
        Duration limit = Durations.parse("cnn.timeout", timeout);
        // Validated here, before any data is read or a JVM forked: unknown names, and what the run owes a row for.
        List<String> planned = inPluginRealm(() -> {
            try {
                return new BenchmarkRunner(registry(), cfg).plan().stream().map(ArchitectureSpec::name).toList();
            } catch (RuntimeException e) {
                throw new MojoExecutionException(e.getMessage(), e);
            }
        });
        RunLedger ledger = new RunLedger(cfg.runId(), planned, cfg.seedList());
        Path out = cfg.outputDirectory();
        getLog().info("cnn:benchmark run " + cfg.runId() + ": " + String.join(", ", planned) + " x "
                + cfg.seedList().size() + " seed" + (cfg.seedList().size() == 1 ? "" : "s") + " -> " + out);
        RunLedger.Settled settled;
        try (OutputLock lock = OutputLock.acquire(out, cfg.runId())) {
            String cause = fork ? fork(cfg, limit) : inProcess(cfg);
            Path results = out.resolve(RunFiles.RESULTS);
            List<ResultRow> written = List.of();
            if (Files.exists(results)) {
                try {
                    written = RunFiles.readResults(results);
                } catch (CsvFormatException e) {
                    cause = (cause == null ? "" : cause + "; ") + "results.csv is unreadable: " + e.getMessage();
                }
            }
            settled = ledger.settle(written, cause);
            if (settled.stale() > 0) {
                getLog().warn("cnn:benchmark: ignored " + settled.stale() + " row(s) of an earlier run in " + results);
            }
            RunFiles.writeResults(results, settled.rows());
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        List<ResultRow> rows = settled.rows();
        // The report is written before any failure is raised, so a failing build still leaves it to look at.
        ReportWriter.write(getLog(), out, out.resolve(HtmlReport.FILE), List.of(out), baseline, rules,
                gateScope(planned), Environment.read(out));
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
            throw new MojoFailureException("cnn:benchmark run " + cfg.runId() + ": architectures failed:" + failures);
        }
        if (gateConfigured()) {
            runGate("cnn:benchmark", rows, planned);
        } else {
            getLog().info("cnn:benchmark: no gate configured (no <rules>, no cnn.baseline)");
        }
    }

    /** Trains in a child JVM; returns why rows may be missing, or null when it ended normally. */
    private String fork(BenchmarkConfig cfg, Duration limit) throws MojoExecutionException {
        List<String> classpath = new ArrayList<>();
        for (Artifact a : pluginArtifacts) {
            classpath.add(a.getFile().getAbsolutePath());
        }
        ForkedTraining.Outcome outcome = ForkedTraining.run(cfg, classpath, jvmArgs, allocator, limit, getLog());
        String cause = outcome.cause();
        if (cause != null) {
            getLog().error("cnn:benchmark: " + cause);
        }
        return cause;
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
            }
        });
    }

    private BenchmarkConfig config() throws MojoExecutionException {
        DataOptions.Builder data = DataOptions.builder().dataset(dataset).trainLimit(trainLimit).testLimit(testLimit)
                .validationSplit(validationSplit).seed(seed);
        if (datasetChecksum != null && !datasetChecksum.isBlank()) {
            data.checksum(datasetChecksum);
        }
        if (dataCache != null) {
            data.cacheDir(dataCache.toPath());
        }
        Augmentation aug;
        try {
            aug = Augmentation.valueOf(augmentation.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("cnn.augmentation must be notebook or pad4_crop32, got '" + augmentation
                    + "'");
        }
        try {
            BenchmarkConfig cfg = new BenchmarkConfig().runId(RunLedger.newRunId())
                    .architectures(selectedNames())
                    .epochs(epochs).batchSize(batchSize).learningRate(learningRate).optimizer(optimizer)
                    .momentum(momentum).nesterov(nesterov).weightDecay(weightDecay)
                    .seed(seed).seeds(seeds).device(device).earlyStoppingPatience(earlyStoppingPatience)
                    .augmentation(aug).data(data.build()).outputDirectory(outputDirectory.toPath())
                    .resume(resume).onnx(onnx);
            for (Composition c : compositions) {
                cfg.compose(c.toCore());
            }
            for (Map.Entry<String, Options> e : optionsByArchitecture().entrySet()) {
                cfg.architectureOptions(e.getKey(), e.getValue());
            }
            return cfg;
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }
}
