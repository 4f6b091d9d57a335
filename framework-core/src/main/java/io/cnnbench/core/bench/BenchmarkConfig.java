package io.cnnbench.core.bench;

import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.api.spi.Options;
import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.DataOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a benchmark run needs, as the Maven goals and {@code -Dcnn.*} properties set it. A null
 * hyper-parameter means "the architecture's default".
 */
public final class BenchmarkConfig {
    List<String> architectures = new ArrayList<>();
    Map<String, Options> architectureOptions = new LinkedHashMap<>();
    List<ArchitectureSpec> compositions = new ArrayList<>();
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
    public BenchmarkConfig compose(ArchitectureSpec spec) {
        this.compositions.add(spec);
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

    public BenchmarkConfig onnxTolerances(double relative, double minAgreement) {
        onnxRelativeTolerance = relative;
        onnxMinAgreement = minAgreement;
        return this;
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
