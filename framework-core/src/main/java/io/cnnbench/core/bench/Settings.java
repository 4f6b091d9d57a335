package io.cnnbench.core.bench;

import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.core.bench.Setting.Scope;
import io.cnnbench.core.djl.Precision;
import io.cnnbench.core.onnx.OnnxChannelBlock;
import io.cnnbench.core.onnx.OnnxForm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The table of every scalar setting of {@code cnn:benchmark}: each property, default and check is declared here
 * once. {@link BenchmarkConfig} reads and writes them generically; the mojo's parameters and the README's
 * table are tested against this list ({@code SettingsDescriptorTest}). The data settings' names and defaults
 * belong to {@link DataOptions}, which also validates them.
 */
public final class Settings {
    private static final List<Setting<?>> ALL = new ArrayList<>();

    // Training: a null default means "the architecture's own" (ArchitectureSpec defaults).
    public static final Setting<Integer> EPOCHS = add(Setting.described("cnn.epochs", "the architecture's (30)",
            "training length in epochs", Scope.RUN, atLeast(1)));
    public static final Setting<Integer> BATCH_SIZE = add(Setting.described("cnn.batchSize",
            "the architecture's (64)", "images per training step", Scope.RUN, atLeast(1)));
    public static final Setting<Double> LEARNING_RATE = add(Setting.described("cnn.learningRate",
            "the architecture's (0.001)", "peak learning rate", Scope.RUN, positive()));
    public static final Setting<String> OPTIMIZER = add(Setting.described("cnn.optimizer", "the architecture's (adam)",
            "adam (Keras semantics) or sgd", Scope.RUN, oneOf("adam", "sgd")));
    public static final Setting<Double> MOMENTUM = add(Setting.of("cnn.momentum", 0.9, "SGD momentum", Scope.RUN,
            checked(Double::valueOf, v -> v >= 0 && v < 1, "must be at least 0 and below 1 (1 never forgets a"
                    + " gradient)")));
    public static final Setting<Boolean> NESTEROV = add(Setting.of("cnn.nesterov", false,
            "SGD with Nesterov momentum", Scope.RUN, Settings::bool));
    public static final Setting<Double> WEIGHT_DECAY = add(Setting.described("cnn.weightDecay",
            "the architecture's (0)", "L2 weight decay added to the gradients", Scope.RUN, atLeastZero()));
    public static final Setting<Long> SEED = add(Setting.of("cnn.seed", DataOptions.DEFAULT_SEED,
            "seed of initialisation, shuffling, augmentation and dropout, and of the validation split (drawn once per"
                    + " run, with this first seed when cnn.seeds > 1)", Scope.RUN,
            Long::valueOf));
    public static final Setting<Integer> SEEDS = add(Setting.of("cnn.seeds", 1,
            "seeds per architecture: seed, seed + 1, ...", Scope.RUN, atLeast(1)));
    public static final Setting<String> DEVICE = add(Setting.of("cnn.device", "auto", "cpu, gpu or auto", Scope.RUN,
            oneOf("cpu", "gpu", "auto")));
    public static final Setting<DeviceSelection> DEVICES = add(Setting.of("cnn.devices", DeviceSelection.ONE,
            "GPUs to train on, one training JVM each with a part of the (architecture, seed) pairs: a count (2), GPU"
                    + " ids with a comma (0,2 or 1,) or all", Scope.GOAL, DeviceSelection::parse));
    public static final Setting<Integer> EARLY_STOPPING_PATIENCE = add(Setting.of("cnn.earlyStoppingPatience", 0,
            "epochs without a lower validation loss before stopping; 0 = off (the notebook used 4)", Scope.RUN,
            atLeast(0)));
    public static final Setting<String> SCHEDULE = add(Setting.of("cnn.schedule", "epoch",
            "epoch: the notebook's warm-up and cosine per epoch; step: the same shape over the steps actually run,"
                    + " so a short run spends no epoch at 1% of the rate (the ci protocol's)", Scope.RUN,
            oneOf("epoch", "step")));
    public static final Setting<Boolean> ZERO_INIT_RESIDUAL = add(Setting.of("cnn.zeroInitResidual", false,
            "start each residual branch's last batch-norm scale at 0 in every architecture that declares the"
                    + " zeroInitResidual option (the ResNeXts); a zeroInitResidual given for the architecture in"
                    + " cnn.options or in a composition's <options> wins",
            Scope.RUN, Settings::bool));
    public static final Setting<String> PROTOCOL = add(Setting.of("cnn.protocol", "notebook",
            "a preset of the settings above: notebook (none: the architecture's recipe) or ci (see Protocols);"
                    + " a setting given explicitly wins over the preset", Scope.RUN, oneOf(Protocols.names())));
    public static final Setting<Integer> EVAL_BATCH_SIZE = add(Setting.of("cnn.evalBatchSize", 256,
            "images per evaluation step, in the validation after each epoch and on the test split (larger is"
                    + " faster, needs more memory)", Scope.RUN,
            atLeast(1)));
    public static final Setting<Augmentation> AUGMENTATION = add(Setting.of("cnn.augmentation",
            Augmentation.NOTEBOOK, "notebook (flip + random 28x28 crop), pad4_crop32, or off (the test-time centre"
                    + " crop for training too)", Scope.RUN,
            Settings::augmentation));
    public static final Setting<Precision> PRECISION = add(Setting.of("cnn.precision", Precision.FLOAT32,
            "float32, or bf16: oneDNN's convolutions round their inputs to bfloat16 inside the kernel (tensors,"
                    + " weights and optimizer state stay float32); CPUs with AMX only, float32 elsewhere, with an"
                    + " INFO line", Scope.RUN, Precision::parse));

    // Data: names, defaults and checks are DataOptions'; listed here so that one table covers every setting.
    public static final Setting<String> DATASET = add(Setting.data(DataOptions.PROPERTY_DATASET,
            DataOptions.OFFICIAL, "cifar10, cifar10-sample, a path (archive or directory) or a URL"));
    public static final Setting<String> DATASET_CHECKSUM = add(Setting.data(DataOptions.PROPERTY_CHECKSUM, null,
            null, "expected checksum of the archive, sha256:HEX or md5:HEX"));
    public static final Setting<String> DATA_CACHE = add(Setting.data(DataOptions.PROPERTY_CACHE, null,
            "~/.cache/cnnbench", "where downloads and extracted data are cached"));
    public static final Setting<String> TRAIN_LIMIT = add(Setting.data(DataOptions.PROPERTY_TRAIN_LIMIT, "0",
            "use at most this many training images (0 = all)"));
    public static final Setting<String> TEST_LIMIT = add(Setting.data(DataOptions.PROPERTY_TEST_LIMIT, "0",
            "use at most this many test images (0 = all)"));
    public static final Setting<String> VALIDATION_SPLIT = add(Setting.data(DataOptions.PROPERTY_VALIDATION_SPLIT,
            "0", "fraction of training images held out (0 = validate on the test split, as the notebook)"));
    public static final Setting<String> EXTRACT_MAX_BYTES = add(Setting.data(DataOptions.PROPERTY_EXTRACT_MAX_BYTES,
            Long.toString(DataOptions.DEFAULT_EXTRACT_MAX_BYTES), "cap on the bytes an archive may extract to"));
    public static final Setting<String> EXTRACT_MAX_ENTRIES = add(Setting.data(
            DataOptions.PROPERTY_EXTRACT_MAX_ENTRIES, Integer.toString(DataOptions.DEFAULT_EXTRACT_MAX_ENTRIES),
            "cap on an archive's entries"));
    public static final Setting<String> DOWNLOAD_TIMEOUT = add(Setting.data(DataOptions.PROPERTY_DOWNLOAD_TIMEOUT,
            Long.toString(DataOptions.DEFAULT_DOWNLOAD_TIMEOUT.toSeconds()),
            "seconds a download may stall before it is retried"));
    public static final Setting<String> DOWNLOAD_ATTEMPTS = add(Setting.data(DataOptions.PROPERTY_DOWNLOAD_ATTEMPTS,
            Integer.toString(DataOptions.DEFAULT_DOWNLOAD_ATTEMPTS), "download attempts, with doubling pauses"));
    public static final Setting<String> CACHE_LOCK_TIMEOUT = add(Setting.data(
            DataOptions.PROPERTY_CACHE_LOCK_TIMEOUT, Long.toString(DataOptions.DEFAULT_CACHE_LOCK_TIMEOUT.toSeconds()),
            "seconds to wait for another run's lock on the data cache"));

    // The run.
    public static final Setting<Shard> SHARD = add(Setting.of("cnn.shard", Shard.ALL,
            "this CI job's part of the (architecture, seed) pairs, i/n (1-based); merge the jobs' directories"
                    + " with cnn:report and gate them with cnn:check -Dcnn.resultDirectories", Scope.RUN,
            Shard::parse));
    public static final Setting<String> OUTPUT_DIRECTORY = add(Setting.described("cnn.outputDirectory",
            "target/cnn", "where results go", Scope.RUN, String::valueOf));
    public static final Setting<Boolean> RESUME = add(Setting.of("cnn.resume", false,
            "continue interrupted training from each architecture's last checkpoint", Scope.RUN, Settings::bool));
    public static final Setting<Boolean> ONNX = add(Setting.of("cnn.onnx", true,
            "export to ONNX and check the file in ONNX Runtime", Scope.RUN, Settings::bool));
    public static final Setting<OnnxForm> ONNX_FORM = add(Setting.of("cnn.onnxForm", OnnxForm.INFERENCE,
            "inference: batch-norm folded into the layer before it, ResNeXt path expansions as one dense convolution;"
                    + " training: node by node, every trained parameter under its own name", Scope.RUN,
            OnnxForm::parse));
    public static final Setting<OnnxChannelBlock> ONNX_CHANNEL_BLOCK = add(Setting.of("cnn.onnxChannelBlock",
            OnnxChannelBlock.AUTO, "the inference form's narrow grouped convolutions widened to whole blocks of ONNX"
                    + " Runtime's x86 kernels, for the CPU the file will run on: 8 (AVX2), 16 (AVX-512) or auto (the"
                    + " exporting CPU's)", Scope.RUN, OnnxChannelBlock::parse));
    public static final Setting<Double> ONNX_RELATIVE_TOLERANCE = add(Setting.of("cnn.onnxRelativeTolerance", 1e-4,
            "largest logit difference ONNX Runtime may show, relative to the largest logit", Scope.RUN, positive()));
    public static final Setting<Double> ONNX_MIN_AGREEMENT = add(Setting.of("cnn.onnxMinAgreement", 0.999,
            "smallest share of test images on which ONNX Runtime and the model agree on the top class", Scope.RUN,
            fraction()));
    public static final Setting<Boolean> INFERENCE_TIMING = add(Setting.of("cnn.inferenceTiming", true,
            "after a passed ONNX check, time inference in the PyTorch engine and in ONNX Runtime (batch 1 and 256;"
                    + " about half a minute per architecture on 2 cores)", Scope.RUN, Settings::bool));

    private Settings() {
    }

    /** Every setting, in declaration order. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The setting for {@code property}, or {@code null}. */
    public static Setting<?> byProperty(String property) {
        return ALL.stream().filter(s -> s.property().equals(property)).findFirst().orElse(null);
    }

    private static <T> Setting<T> add(Setting<T> s) {
        ALL.add(s);
        return s;
    }

    private static Function<String, Integer> atLeast(int min) {
        return checked(Integer::valueOf, v -> v >= min, "must be at least " + min);
    }

    private static Function<String, Double> positive() {
        return checked(Double::valueOf, v -> v > 0 && Double.isFinite(v), "must be positive");
    }

    private static Function<String, Double> atLeastZero() {
        return checked(Double::valueOf, v -> v >= 0 && Double.isFinite(v), "must be 0 or more");
    }

    private static Function<String, Double> fraction() {
        return checked(Double::valueOf, v -> v >= 0 && v <= 1, "must be between 0 and 1");
    }

    private static Function<String, String> oneOf(String... values) {
        List<String> valid = List.of(values);
        return checked(s -> s.toLowerCase(Locale.ROOT), valid::contains, "must be " + String.join(", ", valid));
    }

    private static Boolean bool(String s) {
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException("must be true or false");
    }

    private static Augmentation augmentation(String s) {
        try {
            return Augmentation.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be notebook, pad4_crop32 or off");
        }
    }

    private static <T> Function<String, T> checked(Function<String, T> parse, Predicate<T> ok, String rule) {
        return s -> {
            T v;
            try {
                v = parse.apply(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a number; it " + rule, e);
            }
            if (!ok.test(v)) {
                throw new IllegalArgumentException(rule);
            }
            return v;
        };
    }
}
