package io.cnnbench.core.bench;

import io.cnnbench.core.train.MemoryStats;
import io.cnnbench.core.train.TrainingListener;
import io.cnnbench.reports.EpochRecord;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs training progress and writes history.csv after every epoch, so an interrupted run keeps its curves. */
final class ProgressLog implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkRunner.class);

    private final String name;
    private final Path dir;

    ProgressLog(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    @Override
    public void onBatchProgress(int epoch, int epochs, int batch, int batches, double rate, double eta,
                                double loss, double accuracy) {
        LOG.info("{} epoch {}/{}: batch {}/{}, {} img/s, ETA {} s, loss {}, accuracy {}", name, epoch, epochs,
                batch, batches, Math.round(rate), Math.round(eta), fmt(loss), fmt(accuracy));
    }

    @Override
    public void onResume(List<EpochRecord> history) {
        RunFiles.writeHistory(dir.resolve(RunFiles.HISTORY), history);
    }

    @Override
    public void onEpochEnd(EpochRecord e, List<EpochRecord> history) {
        RunFiles.writeHistory(dir.resolve(RunFiles.HISTORY), history);
        LOG.info("{} epoch {}: lr {} loss {} accuracy {} val_loss {} val_accuracy {} ({} s, {} img/s, RSS {} MiB, of which"
                + " the JVM {} MiB)",
                name, e.epoch(), String.format(Locale.ROOT, "%.3g", e.learningRate()), fmt(e.trainLoss()),
                fmt(e.trainAccuracy()), fmt(e.valLoss()), fmt(e.valAccuracy()), Math.round(e.seconds()),
                Math.round(e.imagesPerSecond()), Math.round(MemoryStats.rssMb()),
                Math.round(MemoryStats.jvmCommittedMb()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
