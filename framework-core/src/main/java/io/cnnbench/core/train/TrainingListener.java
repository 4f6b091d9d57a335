package io.cnnbench.core.train;

import io.cnnbench.reports.EpochRecord;
import java.util.List;

/** Hooks for progress reporting and for persisting history as it grows. */
public interface TrainingListener {
    /** Called every few seconds during an epoch. */
    default void onBatchProgress(int epoch, int epochs, int batch, int batches, double imagesPerSecond,
                                 double etaSeconds, double runningLoss, double runningAccuracy) {
    }

    /** Called after each epoch's validation, with the full history so far. */
    default void onEpochEnd(EpochRecord epoch, List<EpochRecord> history) {
    }

    /**
     * Called once when a run resumes from a checkpoint, with the history it restored: a run killed after its
     * checkpoint was written but before the epoch's own hook ran has one epoch more in the checkpoint than in what
     * the hook persisted, and a resumed run with no epoch left to train would otherwise never say so.
     */
    default void onResume(List<EpochRecord> history) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
