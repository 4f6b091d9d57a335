package io.cnnbench.maven;

import io.cnnbench.api.registry.ProviderRegistry;
import io.cnnbench.api.spi.Options;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.core.bench.BenchmarkConfig;
import io.cnnbench.core.bench.BenchmarkRunner;
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
public class BenchmarkMojo extends AbstractCnnMojo {

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

    @Parameter(property = "cnn.outputDirectory", defaultValue = "${project.build.directory}/cnn")
    private File outputDirectory;

    /** Continue interrupted training from each architecture's last checkpoint. */
    @Parameter(property = "cnn.resume", defaultValue = "false")
    private boolean resume;

    /** Export each trained model to ONNX and check it in ONNX Runtime. */
    @Parameter(property = "cnn.onnx", defaultValue = "true")
    private boolean onnx;

    @Parameter(property = "cnn.skip", defaultValue = "false")
    private boolean skip;

    /** Train in a forked JVM (allocator settings, crash isolation); false runs inside Maven's JVM. */
    @Parameter(property = "cnn.fork", defaultValue = "true")
    private boolean fork;

    /** JVM options of the forked training JVM. */
    @Parameter(property = "cnn.jvmArgs", defaultValue = "-Xss4m -Xmx4g")
    private String jvmArgs;

    /** Allocator of the forked JVM: {@code tuned-glibc}, {@code jemalloc} (if installed) or {@code system}. */
    @Parameter(property = "cnn.allocator", defaultValue = "tuned-glibc")
    private String allocator;

    /** Baseline results (a results.csv or summary.csv committed in your repository) for the rules' maxDrop. */
    @Parameter(property = "cnn.baseline")
    private File baseline;

    /** Accuracy rules checked after the run (as cnn:check); none configured means no gate. */
    @Parameter
    private List<Rule> rules = new ArrayList<>();

    /** Fail the build when a rule is broken; false only warns. */
    @Parameter(property = "cnn.haltOnFailure", defaultValue = "true")
    private boolean haltOnFailure;

    /** Rewrite the baseline (atomically) from this run's results. */
    @Parameter(property = "cnn.updateBaseline", defaultValue = "false")
    private boolean updateBaseline;

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
        List<ResultRow> rows;
        if (fork) {
            List<String> classpath = new ArrayList<>();
            for (Artifact a : pluginArtifacts) {
                classpath.add(a.getFile().getAbsolutePath());
            }
            ForkedTraining.run(cfg, classpath, jvmArgs, allocator, getLog());
            Path results = cfg.outputDirectory().resolve(RunFiles.RESULTS);
            if (!Files.exists(results)) {
                throw new MojoExecutionException("the training JVM wrote no " + results);
            }
            rows = RunFiles.readResults(results);
        } else {
            rows = inPluginRealm(() -> {
                ProviderRegistry registry = registry();
                try {
                    return new BenchmarkRunner(registry, cfg).run();
                } catch (RuntimeException e) {
                    throw new MojoExecutionException(e.getMessage(), e);
                }
            });
        }
        // The report is written before any failure is raised, so a failing build still leaves it to look at.
        Path out = cfg.outputDirectory();
        ReportWriter.write(getLog(), out, out.resolve(HtmlReport.FILE), List.of(out), baseline, rules,
                Environment.read(out));
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
            throw new MojoFailureException("cnn:benchmark: architectures failed:" + failures);
        }
        if (!rules.isEmpty() || updateBaseline) {
            QualityGate.run("cnn:benchmark", getLog(), rows, baseline, rules, updateBaseline, haltOnFailure);
        }
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
            BenchmarkConfig cfg = new BenchmarkConfig()
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
