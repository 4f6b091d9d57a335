package io.cnnbench.core.bench;

import io.cnnbench.api.spi.Options;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.DataOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything a benchmark run needs, as the Maven goals and {@code -Dcnn.*} properties set it. A null
 * hyper-parameter means "the architecture's default".
 */
public final class BenchmarkConfig {
    List<String> architectures = new ArrayList<>();
    Map<String, Options> architectureOptions = new LinkedHashMap<>();
    List<Composition> compositions = new ArrayList<>();
    Integer epochs;
    Integer batchSize;
    Double learningRate;
    String optimizer;
    double momentum = 0.9;
    boolean nesterov;
    Double weightDecay;
    long seed = DataOptions.DEFAULT_SEED;
    int seeds = 1;
    String device = "auto";
    int earlyStoppingPatience;
    Augmentation augmentation = Augmentation.NOTEBOOK;
    DataOptions data = DataOptions.builder().build();
    Path outputDirectory = Path.of("target", "cnn");
    boolean resume;
    boolean onnx = true;
    double onnxRelativeTolerance = 1e-4;
    double onnxMinAgreement = 0.999;
    String runId = RunLedger.newRunId();

    /** Only these architectures (by name); empty means every registered one. */
    public BenchmarkConfig architectures(List<String> names) {
        this.architectures = new ArrayList<>(names);
        return this;
    }

    /** Provider options for one architecture (e.g. cardinality), merged over its own. */
    public BenchmarkConfig architectureOptions(String architecture, Options options) {
        this.architectureOptions.put(architecture, options);
        return this;
    }

    /** Architectures composed from provider names in the POM, benchmarked beside the registered ones. */
    public BenchmarkConfig compose(Composition composition) {
        this.compositions.add(composition);
        return this;
    }

    public BenchmarkConfig epochs(Integer v) {
        epochs = v;
        return this;
    }

    public BenchmarkConfig batchSize(Integer v) {
        batchSize = v;
        return this;
    }

    public BenchmarkConfig learningRate(Double v) {
        learningRate = v;
        return this;
    }

    public BenchmarkConfig optimizer(String v) {
        optimizer = v;
        return this;
    }

    public BenchmarkConfig momentum(double v) {
        momentum = v;
        return this;
    }

    public BenchmarkConfig nesterov(boolean v) {
        nesterov = v;
        return this;
    }

    public BenchmarkConfig weightDecay(Double v) {
        weightDecay = v;
        return this;
    }

    public BenchmarkConfig seed(long v) {
        seed = v;
        return this;
    }

    /** Train each architecture with this many seeds: seed, seed + 1, … */
    public BenchmarkConfig seeds(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("cnn.seeds must be at least 1, got " + v);
        }
        seeds = v;
        return this;
    }

    public BenchmarkConfig device(String v) {
        device = v;
        return this;
    }

    public BenchmarkConfig earlyStoppingPatience(int v) {
        earlyStoppingPatience = v;
        return this;
    }

    public BenchmarkConfig augmentation(Augmentation v) {
        augmentation = v;
        return this;
    }

    public BenchmarkConfig data(DataOptions v) {
        data = v;
        return this;
    }

    public BenchmarkConfig outputDirectory(Path v) {
        outputDirectory = v;
        return this;
    }

    public BenchmarkConfig resume(boolean v) {
        resume = v;
        return this;
    }

    public BenchmarkConfig onnx(boolean v) {
        onnx = v;
        return this;
    }

    /** The id every row of this run carries in results.csv. */
    public BenchmarkConfig runId(String v) {
        runId = v;
        return this;
    }

    public String runId() {
        return runId;
    }

    public BenchmarkConfig onnxTolerances(double relative, double minAgreement) {
        onnxRelativeTolerance = relative;
        onnxMinAgreement = minAgreement;
        return this;
    }

    /**
     * The configuration as {@code cnn.*} properties, for a forked training JVM; {@link #fromProperties} reads
     * it back.
     */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("cnn.architectures", String.join(",", architectures));
        architectureOptions.forEach((arch, opts) -> opts.asMap().forEach((k, v) ->
                p.setProperty("cnn.option." + arch + "." + k, v)));
        for (int i = 0; i < compositions.size(); i++) {
            Composition c = compositions.get(i);
            String k = "cnn.composition." + i + ".";
            p.setProperty(k + "name", c.name());
            p.setProperty(k + "tail", c.tail());
            p.setProperty(k + "block", c.block());
            p.setProperty(k + "head", c.head());
            p.setProperty(k + "blockRepeats", c.blockRepeats());
            p.setProperty(k + "downsamples", Integer.toString(c.downsamples()));
            p.setProperty(k + "startDims", Integer.toString(c.startDims()));
            p.setProperty(k + "imageSize", Integer.toString(c.imageSize()));
            c.options().asMap().forEach((ok, ov) -> p.setProperty(k + "option." + ok, ov));
        }
        setIf(p, "cnn.epochs", epochs);
        setIf(p, "cnn.batchSize", batchSize);
        setIf(p, "cnn.learningRate", learningRate);
        setIf(p, "cnn.optimizer", optimizer);
        setIf(p, "cnn.weightDecay", weightDecay);
        p.setProperty("cnn.momentum", Double.toString(momentum));
        p.setProperty("cnn.nesterov", Boolean.toString(nesterov));
        p.setProperty("cnn.seed", Long.toString(seed));
        p.setProperty("cnn.seeds", Integer.toString(seeds));
        p.setProperty("cnn.device", device);
        p.setProperty("cnn.earlyStoppingPatience", Integer.toString(earlyStoppingPatience));
        p.setProperty("cnn.augmentation", augmentation.name());
        p.setProperty("cnn.dataset", data.dataset());
        data.checksum().ifPresent(c -> p.setProperty("cnn.datasetChecksum", c));
        p.setProperty("cnn.dataCache", data.cacheDir().toString());
        p.setProperty("cnn.trainLimit", Integer.toString(data.trainLimit()));
        p.setProperty("cnn.testLimit", Integer.toString(data.testLimit()));
        p.setProperty("cnn.validationSplit", Double.toString(data.validationSplit()));
        p.setProperty("cnn.outputDirectory", outputDirectory.toString());
        p.setProperty("cnn.resume", Boolean.toString(resume));
        p.setProperty("cnn.onnx", Boolean.toString(onnx));
        p.setProperty("cnn.onnxRelativeTolerance", Double.toString(onnxRelativeTolerance));
        p.setProperty("cnn.onnxMinAgreement", Double.toString(onnxMinAgreement));
        p.setProperty("cnn.runId", runId);
        return p;
    }

    public static BenchmarkConfig fromProperties(Properties p) {
        BenchmarkConfig c = new BenchmarkConfig();
        String archs = p.getProperty("cnn.architectures", "");
        if (!archs.isBlank()) {
            c.architectures(List.of(archs.split(",")));
        }
        Map<String, Map<String, String>> options = new LinkedHashMap<>();
        Map<Integer, Map<String, String>> comps = new java.util.TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("cnn.option.")) {
                String rest = key.substring("cnn.option.".length());
                int dot = rest.indexOf('.');
                options.computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>())
                        .put(rest.substring(dot + 1), p.getProperty(key));
            } else if (key.startsWith("cnn.composition.")) {
                String rest = key.substring("cnn.composition.".length());
                int dot = rest.indexOf('.');
                comps.computeIfAbsent(Integer.parseInt(rest.substring(0, dot)), k -> new LinkedHashMap<>())
                        .put(rest.substring(dot + 1), p.getProperty(key));
            }
        }
        options.forEach((arch, m) -> c.architectureOptions(arch, Options.of(m)));
        for (Map<String, String> m : comps.values()) {
            Map<String, String> opts = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (k.startsWith("option.")) {
                    opts.put(k.substring("option.".length()), v);
                }
            });
            c.compose(new Composition(m.get("name"), m.get("tail"), m.get("block"), m.get("head"),
                    m.get("blockRepeats"), Integer.parseInt(m.get("downsamples")), Integer.parseInt(m.get("startDims")),
                    Integer.parseInt(m.get("imageSize")), Options.of(opts)));
        }
        c.epochs = intOrNull(p, "cnn.epochs");
        c.batchSize = intOrNull(p, "cnn.batchSize");
        c.learningRate = p.containsKey("cnn.learningRate") ? Double.valueOf(p.getProperty("cnn.learningRate")) : null;
        c.optimizer = p.getProperty("cnn.optimizer");
        c.weightDecay = p.containsKey("cnn.weightDecay") ? Double.valueOf(p.getProperty("cnn.weightDecay")) : null;
        c.momentum = Double.parseDouble(p.getProperty("cnn.momentum", "0.9"));
        c.nesterov = Boolean.parseBoolean(p.getProperty("cnn.nesterov", "false"));
        c.seed = Long.parseLong(p.getProperty("cnn.seed", Long.toString(DataOptions.DEFAULT_SEED)));
        c.seeds(Integer.parseInt(p.getProperty("cnn.seeds", "1")));
        c.device = p.getProperty("cnn.device", "auto");
        c.earlyStoppingPatience = Integer.parseInt(p.getProperty("cnn.earlyStoppingPatience", "0"));
        c.augmentation = Augmentation.valueOf(p.getProperty("cnn.augmentation", "NOTEBOOK"));
        DataOptions.Builder d = DataOptions.builder().dataset(p.getProperty("cnn.dataset", DataOptions.OFFICIAL))
                .trainLimit(Integer.parseInt(p.getProperty("cnn.trainLimit", "0")))
                .testLimit(Integer.parseInt(p.getProperty("cnn.testLimit", "0")))
                .validationSplit(Double.parseDouble(p.getProperty("cnn.validationSplit", "0")))
                .seed(c.seed);
        if (p.containsKey("cnn.datasetChecksum")) {
            d.checksum(p.getProperty("cnn.datasetChecksum"));
        }
        if (p.containsKey("cnn.dataCache")) {
            d.cacheDir(Path.of(p.getProperty("cnn.dataCache")));
        }
        c.data = d.build();
        c.outputDirectory = Path.of(p.getProperty("cnn.outputDirectory", "target/cnn"));
        c.resume = Boolean.parseBoolean(p.getProperty("cnn.resume", "false"));
        c.onnx = Boolean.parseBoolean(p.getProperty("cnn.onnx", "true"));
        c.onnxRelativeTolerance = Double.parseDouble(p.getProperty("cnn.onnxRelativeTolerance", "1e-4"));
        c.onnxMinAgreement = Double.parseDouble(p.getProperty("cnn.onnxMinAgreement", "0.999"));
        c.runId = p.getProperty("cnn.runId", c.runId);
        return c;
    }

    private static void setIf(Properties p, String key, Object value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

    private static Integer intOrNull(Properties p, String key) {
        return p.containsKey(key) ? Integer.valueOf(p.getProperty(key)) : null;
    }

    public Path outputDirectory() {
        return outputDirectory;
    }

    public List<Long> seedList() {
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            list.add(seed + i);
        }
        return list;
    }
}
