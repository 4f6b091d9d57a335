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
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;

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

    /**
     * The PyTorch natives of the training JVM: {@code cpu} (the bundled CPU-only libtorch 2.7.1) or {@code cu124}
     * (libtorch 2.5.1 for CUDA 12.4 with DJL 0.33.0, resolved by Maven from your repositories: a 2.5 GB jar, once).
     */
    @Parameter(property = "cnn.natives", defaultValue = "cpu")
    private String natives;

    @Component
    private RepositorySystem repositorySystem;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    private RepositorySystemSession repositorySession;

    @Parameter(defaultValue = "${project.remotePluginRepositories}", readonly = true, required = true)
    private List<RemoteRepository> pluginRepositories;

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
        Natives flavour;
        try {
            flavour = Natives.of(natives);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
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
        // Before anything is resolved, unpacked or forked: a GPU that cannot be used fails here, in seconds.
        java.util.Optional<Path> driver = flavour.cuda() ? CudaNatives.findDriver() : java.util.Optional.empty();
        DeviceChoice choice = DeviceChoice.decide(flavour, device, fork, driver);
        if (choice.error() != null) {
            throw new MojoExecutionException(choice.error());
        }
        getLog().info(choice.reason());
        cfg.device(choice.device());
        RunLedger ledger = new RunLedger(cfg.runId(), planned, cfg.seedList());
        Path out = cfg.outputDirectory();
        getLog().info("cnn:benchmark run " + cfg.runId() + ": " + String.join(", ", planned) + " x "
                + cfg.seedList().size() + " seed" + (cfg.seedList().size() == 1 ? "" : "s") + " -> " + out);
        RunLedger.Settled settled;
        try (OutputLock lock = OutputLock.acquire(out, cfg.runId())) {
            String cause = fork ? fork(cfg, limit, flavour, driver.isPresent()) : inProcess(cfg);
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
    private String fork(BenchmarkConfig cfg, Duration limit, Natives flavour, boolean withDriver)
            throws MojoExecutionException {
        Map<String, String> bundled = new java.util.LinkedHashMap<>();
        for (Artifact a : pluginArtifacts) {
            bundled.put(a.getGroupId() + ":" + a.getArtifactId(), a.getFile().getAbsolutePath());
        }
        Map<String, String> props = Map.of();
        List<String> classpath;
        if (flavour.bundled()) {
            classpath = flavour.classpath(bundled, List.of());
            getLog().info("cnn.natives=cpu: " + flavour.description());
        } else {
            List<String> resolved = resolve(flavour);
            classpath = flavour.classpath(bundled, resolved);
            String jar = resolved.get(flavour.artifacts().indexOf(flavour.nativesJar()));
            CudaNatives.Prepared prepared = CudaNatives.prepare(Path.of(jar), CudaNatives.djlPytorchCache(),
                    withDriver, getLog());
            props = prepared.props();
            getLog().info("cnn.natives=" + flavour.id() + ": " + flavour.description() + ", CUDA build "
                    + prepared.flavour() + " of libtorch " + prepared.version() + " from " + flavour.nativesJar()
                    + " (" + jar + "), in place of the bundled " + Natives.BUNDLED_NATIVES + "; libraries in "
                    + prepared.libraryDir() + (withDriver ? "" : " (no NVIDIA driver here: without "
                    + CudaNatives.NEEDS_DRIVER + ", which needs " + CudaNatives.DRIVER_LIBRARY + ")"));
        }
        ForkedTraining.Outcome outcome = ForkedTraining.run(cfg, classpath, props, jvmArgs, allocator, limit,
                getLog());
        String cause = outcome.cause();
        if (cause != null) {
            getLog().error("cnn:benchmark: " + cause);
        }
        return cause;
    }

    /** The flavour's artifacts, resolved by Maven from the plugin repositories into the local repository. */
    private List<String> resolve(Natives flavour) throws MojoExecutionException {
        List<ArtifactRequest> requests = new ArrayList<>();
        for (Natives.Coordinates c : flavour.artifacts()) {
            requests.add(new ArtifactRequest(new DefaultArtifact(c.groupId(), c.artifactId(), c.classifier(), "jar",
                    c.version()), pluginRepositories, "cnn.natives"));
        }
        getLog().info("cnn.natives=" + flavour.id() + ": resolving " + flavour.artifacts() + " (the natives jar is "
                + flavour.nativesSize() + "; downloaded once into the local repository if not there yet)");
        long t0 = System.nanoTime();
        try {
            List<ArtifactResult> results = repositorySystem.resolveArtifacts(repositorySession, requests);
            List<String> files = new ArrayList<>();
            for (ArtifactResult r : results) {
                files.add(r.getArtifact().getFile().getAbsolutePath());
            }
            getLog().info(String.format(Locale.ROOT, "cnn.natives=%s: resolved in %.1f s", flavour.id(),
                    (System.nanoTime() - t0) / 1e9));
            return files;
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException("cnn.natives=" + flavour.id() + ": Maven could not resolve "
                    + flavour.artifacts() + " from " + pluginRepositories.stream().map(RemoteRepository::getUrl)
                    .toList() + ": " + e.getMessage() + ". Pre-fetch the natives with mvn dependency:get"
                    + " -Dartifact=" + flavour.nativesJar().groupId() + ":" + flavour.nativesJar().artifactId() + ":"
                    + flavour.nativesJar().version() + ":jar:" + flavour.nativesJar().classifier(), e);
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
