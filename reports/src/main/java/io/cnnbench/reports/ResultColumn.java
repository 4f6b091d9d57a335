package io.cnnbench.reports;

import java.util.Locale;

/**
 * The columns of {@code results.csv}, in file order: one row per architecture and seed. Accuracies are
 * fractions in [0, 1]; empty cells mean "not measured in this run" (e.g. ONNX skipped). {@code run_id} names the
 * run that wrote the row, so that a gate can tell this run's rows from a stale file's; {@code shard} ({@code i/n})
 * the CI job of a split run that produced it; {@code run_directory} the folder (relative to the file's directory,
 * {@code /}-separated) that holds the run's history, confusion matrix and checkpoints, so that a report reads this
 * run's files and never a folder an earlier run with another seed count left behind; {@code protocol} every setting
 * that changes how the accuracy was measured (epochs, training images, schedule…; not the architecture's options,
 * which say what network was measured), so that a gate compares a run only with a baseline measured the same way.
 */
public enum ResultColumn {
    ARCHITECTURE, SEED, STATUS, MESSAGE, TRAINABLE_PARAMS, MACS, EPOCHS, BATCH_SIZE, TRAIN_IMAGES,
    TRAIN_SECONDS, TRAIN_IMAGES_PER_SECOND, BEST_VAL_ACCURACY, BEST_VAL_LOSS, TEST_ACCURACY, TEST_LOSS,
    EVAL_IMAGES_PER_SECOND, DEVICE, RSS_AFTER_FIRST_EPOCH_MB, RSS_AFTER_LAST_EPOCH_MB, PEAK_RSS_MB,
    JVM_COMMITTED_MB,
    ONNX_FILE, ONNX_FORM, ONNX_MAX_ABS_DIFF, ONNX_MAX_ABS_LOGIT, ONNX_TOP1_AGREEMENT, ONNX_TEST_ACCURACY,
    PYTORCH_LATENCY_MS_BATCH1, PYTORCH_IMAGES_PER_SECOND_BATCH256, ONNX_LATENCY_MS_BATCH1,
    ONNX_IMAGES_PER_SECOND_BATCH256, RUN_ID, SHARD, RUN_DIRECTORY, PROTOCOL;

    /** The header text: the lower-case name ({@code test_accuracy}). */
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether cells hold numbers; the others (architecture, status, message, device, onnx_file, onnx_form, run_id,
     * shard, run_directory, protocol) hold text.
     */
    public boolean numeric() {
        return this != ARCHITECTURE && this != STATUS && this != MESSAGE && this != DEVICE && this != ONNX_FILE
                && this != ONNX_FORM && this != RUN_ID && this != SHARD && this != RUN_DIRECTORY && this != PROTOCOL;
    }

    /** The column with this header, or {@code null} for a header this version does not know. */
    public static ResultColumn fromHeader(String header) {
        try {
            return valueOf(header.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
