package io.cnnbench.core.bench;

import io.cnnbench.api.spi.ArchitectureSpec;
import io.cnnbench.cifar.Batch;
import io.cnnbench.cifar.BatchStream;
import io.cnnbench.cifar.CifarDataset;
import io.cnnbench.cifar.Normalization;
import io.cnnbench.core.djl.Network;
import io.cnnbench.core.djl.Precision;
import io.cnnbench.core.onnx.InferenceTiming;
import io.cnnbench.core.onnx.ModelMetadata;
import io.cnnbench.core.onnx.OnnxChannelBlock;
import io.cnnbench.core.onnx.OnnxCheck;
import io.cnnbench.core.onnx.OnnxCheckResult;
import io.cnnbench.core.onnx.OnnxExporter;
import io.cnnbench.core.onnx.OnnxForm;
import io.cnnbench.core.train.Evaluation;
import io.cnnbench.reports.ResultColumn;
import io.cnnbench.reports.ResultRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ONNX part of a run: export the trained network, check the file in ONNX Runtime, time inference. */
final class OnnxStage {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkRunner.class);
    /**
     * The check's tolerances where the engine's convolutions round to bfloat16: the trained side of the comparison is
     * the engine's bf16 logits, ONNX Runtime's are float32. bfloat16 keeps 8 bits, so logits differ by about a per
     * cent of the largest, and the images whose two best classes are closer than that can come out either way.
     * Measured on mobilenetv3-small after the ci protocol (docs/performance.md, "bfloat16 convolutions on AMX"):
     * 1.2 % of the largest logit, 25 of 10,000 images on another class, the same test accuracy to the image. A wrong
     * export is off by far more than 5 %, which both limits still catch.
     */
    static final double BF16_RELATIVE_TOLERANCE = 5e-2;
    static final double BF16_MIN_AGREEMENT = 0.99;

    /** The exported model's file name in the pair's folder. */
    static String fileName(String architecture) {
        return architecture + ".onnx";
    }

    private final BenchmarkConfig config;

    OnnxStage(BenchmarkConfig config) {
        this.config = config;
    }

    /**
     * Exports the trained network to {@code <dir>/<architecture>.onnx} in the form {@code cnn.onnxForm} names,
     * runs the whole test split through ONNX Runtime against the trained model, and times inference on both
     * engines.
     */
    OnnxCheckResult exportAndCheck(ArchitectureSpec spec, Network net, Path dir, CifarDataset data,
                                           Evaluation test, ResultRow row) throws IOException {
        Path file = dir.resolve(fileName(spec.name()));
        int[] shape = spec.inputShape().toArray();
        ModelMetadata metadata = ModelMetadata.of(spec.name(), Normalization.meanRgb(), Normalization.stdRgb(),
                        data.classNames())
                .withTestAccuracy(test.accuracy())
                .withProperty("preprocessing", "pixel values 0-255 as float, minus mean, divided by std per RGB channel;"
                        + " centre crop " + shape[1] + "x" + shape[2] + " of the 32x32 image at offset ("
                        + config.augmentation().testOffset() + ", " + config.augmentation().testOffset() + ")");
        OnnxForm form = config.get(Settings.ONNX_FORM);
        OnnxChannelBlock setting = config.get(Settings.ONNX_CHANNEL_BLOCK);
        OnnxChannelBlock block = setting.resolved(); // once: auto reads /proc/cpuinfo
        OnnxExporter.export(net, metadata, form, block, file);
        if (form == OnnxForm.INFERENCE) {
            LOG.info("{}: ONNX inference form for {}-channel blocks of ONNX Runtime's x86 kernels (cnn.onnxChannelBlock"
                    + "={}{})", spec.name(), block.channels(), setting.settingValue(),
                    setting == OnnxChannelBlock.AUTO ? ": this CPU's" : "");
        }
        row.set(ResultColumn.ONNX_FORM, form.settingValue());
        double relativeTolerance = config.get(Settings.ONNX_RELATIVE_TOLERANCE);
        double minAgreement = config.get(Settings.ONNX_MIN_AGREEMENT);
        if (Precision.ofThisProcess() == Precision.BF16) {
            relativeTolerance = Math.max(relativeTolerance, BF16_RELATIVE_TOLERANCE);
            minAgreement = Math.min(minAgreement, BF16_MIN_AGREEMENT);
            LOG.info("{}: the engine's logits carry bfloat16 rounding (cnn.precision=bf16) and the ONNX file computes"
                    + " in float32, so the check allows logits {} of the largest apart and a top-1 agreement of {}"
                    + " (images whose two best classes are that close)", spec.name(), relativeTolerance, minAgreement);
        }
        OnnxCheck check = new OnnxCheck(new OnnxCheck.Tolerances(relativeTolerance, minAgreement));
        // The trained model's side of the comparison is the test evaluation's logits: the same network, the same
        // images in the same order, on the same engine, so running the split through it again would only cost time
        // (docs/performance.md, "One pass over the test split").
        int classes = spec.numClasses();
        float[] trained = test.logits();
        if (trained == null || test.images() != data.test().size() || trained.length != test.images() * classes) {
            throw new IllegalStateException("the test evaluation of " + spec.name() + " holds no logits for its "
                    + data.test().size() + " test images; the ONNX check needs them");
        }
        OnnxCheckResult result;
        try (BatchStream batches = BatchStream.evaluation(data.test(), config.augmentation(), 256)) {
            result = check.run(file, net, new Iterator<OnnxCheck.Batch>() {
                private int offset;

                @Override
                public boolean hasNext() {
                    return batches.hasNext();
                }

                @Override
                public OnnxCheck.Batch next() {
                    try (Batch b = batches.next()) {
                        float[] images = new float[b.images().remaining()];
                        b.images().duplicate().get(images);
                        float[] logits = Arrays.copyOfRange(trained, offset * classes, (offset + b.size()) * classes);
                        offset += b.size();
                        return new OnnxCheck.Batch(images, b.labels(), b.size(), logits);
                    }
                }
            }, data.test().size());
        }
        putColumns(row, result.columns());
        LOG.info("{}: ONNX {} — max |logit diff| {} (largest |logit| {}), top-1 agreement {}, ONNX test accuracy {}",
                spec.name(), result.passed() ? "check passed" : "check FAILED", String.format(Locale.ROOT, "%.3g",
                        result.maxAbsDiff()), String.format(Locale.ROOT, "%.3g", result.maxAbsLogit()),
                fmt(result.top1Agreement()), fmt(result.testAccuracy()));
        if (result.passed() && config.get(Settings.INFERENCE_TIMING)) {
            InferenceTiming.Result timing = InferenceTiming.measure(net, file, InferenceTiming.Settings.DEFAULT);
            putColumns(row, timing.columns());
            LOG.info("{}: inference — PyTorch engine {} ms at batch 1, {} img/s at batch 256; ONNX Runtime"
                    + " ({} intra-op threads) {} ms, {} img/s", spec.name(), fmt(timing.pytorch().latencyMs()),
                    Math.round(timing.pytorch().throughputImagesPerSecond()), timing.onnxRuntimeThreads(),
                    fmt(timing.onnxRuntime().latencyMs()),
                    Math.round(timing.onnxRuntime().throughputImagesPerSecond()));
        }
        return result;
    }

    static void putColumns(ResultRow row, java.util.Map<String, String> columns) {
        columns.forEach((header, value) -> {
            ResultColumn c = ResultColumn.fromHeader(header);
            if (c == null) {
                throw new IllegalStateException("no results.csv column named " + header);
            }
            row.set(c, value);
        });
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
