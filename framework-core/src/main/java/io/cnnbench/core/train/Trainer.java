package io.cnnbench.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import io.cnnbench.cifar.Batch;
import io.cnnbench.cifar.BatchStream;
import io.cnnbench.api.graph.Graph;
import io.cnnbench.api.graph.Node;
import io.cnnbench.api.graph.ParamSpec;
import io.cnnbench.cifar.ImageSet;
import io.cnnbench.core.djl.Network;
import io.cnnbench.reports.EpochRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one network on DJL's PyTorch engine: seeded batches, the notebook's schedule, validation every
 * epoch, atomic checkpoints (last and best by validation loss), exact resume, optional early stopping, and a
 * clean stop on a non-finite loss. Every batch runs in its own {@link NDScope}, so native memory does not grow
 * across batches or epochs.
 */
public final class Trainer {
    /** The folder of a pair's checkpoints, inside its run folder. */
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LAST_CHECKPOINT = "last.ckpt";
    public static final String BEST_CHECKPOINT = "best.ckpt";
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /**
     * How often training returns the native heap's free pages. The forked JVM's glibc settings keep every freed
     * block (mapping and unmapping activations each step is what made training slow), but the single arena
     * fragments over hundreds of steps: on the ci protocol (375 steps) training peaked at 1,733 MiB although
     * libtorch held about 0.2 GB once it ended. With this trim (and the smaller heap, see ForkedTraining) the same
     * run peaked at 1,254 MiB, at the same speed (76 against 75 images/s) and with the same accuracy: a trim
     * every 64 steps only refaults what it returned, against about 50 seconds of steps (docs/performance.md).
     */
    static final int TRIM_EVERY_STEPS = 64;
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

    private final Network net;
    private final TrainingConfig config;
    private final String resumeFingerprint;
    private final Path checkpointDir;
    private final TrainingListener listener;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final Engine engine;

    /**
     * What training produced. {@code failure} is null unless training stopped on a non-finite loss.
     * {@code lastValidation} is the validation pass after the last epoch this call trained, so of the network as
     * it is now; null when this call completed no epoch (a resumed run that was already complete) or training
     * failed.
     */
    public record Outcome(List<EpochRecord> history, String failure, boolean stoppedEarly, double bestValLoss,
                          double bestValAccuracy, double trainSeconds, long trainImages, double rssAfterFirstEpochMb,
                          double rssAfterLastEpochMb, Evaluation lastValidation) {
        public double trainImagesPerSecond() {
            return trainSeconds > 0 ? trainImages / trainSeconds : Double.NaN;
        }
    }

    public Trainer(Network net, TrainingConfig config, Path checkpointDir, TrainingListener listener) {
        this(net, config, checkpointDir, listener, "");
    }

    /**
     * @param resumeContext what else a checkpoint must match to be resumed besides the training settings: the
     *                      data (dataset, checksum, limits, split) and the architecture's options, so that resuming
     *                      on other data or another network never continues silently
     */
    public Trainer(Network net, TrainingConfig config, Path checkpointDir, TrainingListener listener,
                   String resumeContext) {
        this.resumeFingerprint = config.fingerprint() + ",graph=" + structureDigest(net.graph())
                + (resumeContext.isEmpty() ? "" : "," + resumeContext);
        this.net = net;
        this.config = config;
        this.checkpointDir = checkpointDir;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.engine = net.manager().getEngine();
    }

    /** {@link #fit(ImageSet, ImageSet, int, boolean)} validating at the training batch size. */
    public Outcome fit(ImageSet train, ImageSet validation, boolean resume) {
        return fit(train, validation, config.batchSize(), resume);
    }

    /**
     * Trains for the configured epochs, validating after each.
     *
     * @param validationBatchSize images per validation step; inference mode, so it changes only speed and memory
     *                            (and the last bits of the float sums), not what is measured
     */
    public Outcome fit(ImageSet train, ImageSet validation, int validationBatchSize, boolean resume) {
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.epochs());
        long stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
        StepSchedule steps = TrainingConfig.PER_STEP.equals(config.schedule())
                ? new StepSchedule(config.learningRate(), stepsPerEpoch * config.epochs()) : null;
        Optimizer optimizer = Optimizer.create(config.optimizer(), net.parameters(), config.momentum(),
                config.nesterov(), config.weightDecay());
        TrainStep trainStep = new TrainStep(net, optimizer);
        List<EpochRecord> history = new ArrayList<>();
        double bestValLoss = Double.POSITIVE_INFINITY;
        int sinceImprovement = 0;
        int startEpoch = 0;
        Path last = checkpointDir.resolve(LAST_CHECKPOINT);
        if (resume && Files.exists(last)) {
            Checkpoint ck = Checkpoint.read(last);
            if (!ck.architecture().equals(net.graph().name()) || !ck.configFingerprint().equals(resumeFingerprint)) {
                throw new IllegalStateException("cannot resume " + net.graph().name() + " from " + last
                        + ": it was made by " + ck.architecture() + " with " + ck.configFingerprint()
                        + ", this run has " + resumeFingerprint
                        + ". Rerun with the same settings, or without -Dcnn.resume=true to start over.");
            }
            restoreParameters(ck.parameters());
            optimizer.restore(ck.optimizerStep(), ck.optimizerState());
            history.addAll(ck.history());
            bestValLoss = ck.bestValLoss();
            sinceImprovement = ck.epochsWithoutImprovement();
            startEpoch = ck.epochsDone();
            LOG.info("{}: resuming after epoch {} of {} from {}", net.graph().name(), startEpoch, config.epochs(), last);
            listener.onResume(List.copyOf(history));
        } else if (resume) {
            LOG.info("{}: no checkpoint at {}; starting from the first epoch", net.graph().name(), last);
        } else {
            removeEarlierCheckpoints();
        }

        double trainSeconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        long trainImages = (long) history.size() * train.size();
        double rssFirst = Double.NaN;
        double rssLast = Double.NaN;
        String failure = null;
        boolean stoppedEarly = false;
        Evaluation lastValidation = null;
        // glibc's trim cannot reach jemalloc's pages, and jemalloc needs none: on the ci protocol its training peaked
        // at 885 MiB, against 1,046 MiB for tuned glibc with the trims (docs/performance.md).
        boolean trimmable = NativeAllocator.current().trimmable();
        for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
            if (config.earlyStoppingPatience() > 0 && sinceImprovement >= config.earlyStoppingPatience()) {
                stoppedEarly = true;
                break;
            }
            double lr = schedule.at(epoch);
            long firstStep = (long) epoch * stepsPerEpoch;
            // Dropout draws from the engine's generator: seed it per epoch so a resumed run matches.
            engine.setRandomSeed((int) (config.seed() * 1_000_003L + epoch));
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            int seen = 0;
            try (BatchStream batches = BatchStream.training(train, config.augmentation(), config.batchSize(),
                    config.seed(), epoch)) {
                int total = batches.batchCount();
                int index = 0;
                long lastReport = t0;
                while (batches.hasNext()) {
                    double[] step;
                    int size;
                    double stepLr = steps == null ? lr : steps.at(firstStep + index);
                    if (index == 0) {
                        lr = stepLr; // the epoch's record shows the rate it started with
                    }
                    try (Batch b = batches.next()) {
                        step = trainStep(trainStep, b, stepLr);
                        size = b.size();
                    }
                    index++;
                    if (trimmable && index % TRIM_EVERY_STEPS == 0) {
                        MemoryStats.trimNativeHeap();
                    }
                    if (!Double.isFinite(step[0])) {
                        failure = "loss became " + step[0] + " at epoch " + (epoch + 1) + ", batch " + index
                                + " (learning rate " + stepLr + "). Lower -Dcnn.learningRate or check the data; the best"
                                + " checkpoint so far is kept in " + checkpointDir;
                        break;
                    }
                    lossSum += step[0] * size;
                    correct += (long) step[1];
                    seen += size;
                    long now = System.nanoTime();
                    if (now - lastReport >= PROGRESS_EVERY_NANOS && index < total) {
                        double rate = seen / ((now - t0) / 1e9);
                        double eta = (train.size() - seen) / rate;
                        listener.onBatchProgress(epoch + 1, config.epochs(), index, total, rate, eta,
                                lossSum / seen, (double) correct / seen);
                        lastReport = now;
                    }
                }
            }
            if (failure != null) {
                lastValidation = null; // the steps before the failure changed the network since
                break;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Evaluation val = evaluate(validation, validationBatchSize, numClasses());
            lastValidation = val;
            EpochRecord rec = new EpochRecord(epoch + 1, lr, lossSum / seen, (double) correct / seen, val.loss(),
                    val.accuracy(), seconds, seen / seconds);
            history.add(rec);
            trainSeconds += seconds;
            trainImages += seen;
            if (val.loss() < bestValLoss) {
                bestValLoss = val.loss();
                sinceImprovement = 0;
                new Checkpoint(net.graph().name(), resumeFingerprint, epoch + 1, bestValLoss, 0,
                        optimizer.step(), history, parameterValues(), Map.of()).write(checkpointDir.resolve(BEST_CHECKPOINT));
            } else {
                sinceImprovement++;
            }
            new Checkpoint(net.graph().name(), resumeFingerprint, epoch + 1, bestValLoss, sinceImprovement,
                    optimizer.step(), history, parameterValues(), stateValues(optimizer)).write(last);
            if (Double.isNaN(rssFirst)) {
                rssFirst = MemoryStats.rssMb();
            }
            rssLast = MemoryStats.rssMb();
            listener.onEpochEnd(rec, List.copyOf(history));
        }
        return new Outcome(List.copyOf(history), failure, stoppedEarly, bestValLoss,
                validationAccuracyAt(history, bestValLoss), trainSeconds,
                trainImages, rssFirst, rssLast, lastValidation);
    }

    /**
     * The validation accuracy of the epoch whose loss was {@code bestValLoss}, the one the best checkpoint was taken
     * at; NaN when no epoch had it. Not the minimum over the history: that is NaN if any one epoch's validation loss
     * was NaN, which the best loss never is (NaN never compares lower).
     */
    static double validationAccuracyAt(List<EpochRecord> history, double bestValLoss) {
        return history.stream().filter(e -> e.valLoss() == bestValLoss).mapToDouble(EpochRecord::valAccuracy)
                .findFirst().orElse(Double.NaN);
    }

    /**
     * A run that starts over must not leave an earlier run's checkpoints in place until its first epoch ends: killed
     * before that, a rerun with {@code cnn.resume=true} would "resume" the earlier run and report its network as
     * this one's.
     */
    private void removeEarlierCheckpoints() {
        for (String name : List.of(LAST_CHECKPOINT, BEST_CHECKPOINT)) {
            Path file = checkpointDir.resolve(name);
            try {
                if (Files.deleteIfExists(file)) {
                    LOG.info("{}: removed {} of an earlier run; this run starts over (cnn.resume=false)",
                            net.graph().name(), file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the earlier run's checkpoint " + file + " before"
                        + " starting over: " + e.getMessage() + "; remove it by hand", e);
            }
        }
    }

    /**
     * A digest of the network's structure: each node's operation with its attributes, its inputs and output shape,
     * and its parameters' names, kinds and shapes (not their initialisers, which a resumed run does not use). Code
     * that changes a stride, a padding or an activation but no parameter's name or size gives another digest, so a
     * checkpoint of the old network is not continued by the new one.
     */
    static String structureDigest(Graph graph) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        for (Node n : graph.nodes()) {
            StringBuilder s = new StringBuilder().append(n.id()).append('|').append(n.name()).append('|')
                    .append(n.op()).append('|').append(n.inputs()).append('|').append(n.outputShape());
            for (ParamSpec p : n.params()) {
                s.append('|').append(p.name()).append(':').append(p.kind()).append(':').append(p.shape());
            }
            sha.update(s.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        sha.update(("output=" + graph.outputNode().id()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /** Returns {mean loss, correct count}. */
    private double[] trainStep(TrainStep step, Batch b, double lr) {
        NDManager m = net.manager();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return step.run(b.toNDList(m).singletonOrThrow(), b.labelsArray(m), lr);
        }
    }

    /** Loss, accuracy, confusion matrix, logits and throughput on a split, in inference mode. */
    public Evaluation evaluate(ImageSet set, int batchSize, int numClasses) {
        NDManager m = net.manager();
        long[][] confusion = new long[numClasses][numClasses];
        float[] allLogits = new float[Math.multiplyExact(set.size(), numClasses)];
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        long t0 = System.nanoTime();
        try (BatchStream batches = BatchStream.evaluation(set, config.augmentation(), batchSize)) {
            while (batches.hasNext()) {
                try (Batch b = batches.next(); NDScope scope = new NDScope()) {
                    NDArray labels = b.labelsArray(m);
                    NDArray logits = net.forward(b.toNDList(m).singletonOrThrow(), false);
                    float[] values = logits.toFloatArray();
                    if (values.length != b.size() * numClasses) {
                        throw new IllegalStateException(net.graph().name() + " gave " + values.length
                                + " scores for " + b.size() + " images of " + numClasses + " classes");
                    }
                    System.arraycopy(values, 0, allLogits, seen * numClasses, values.length);
                    lossSum += loss.evaluate(new NDList(labels), new NDList(logits)).getFloat() * b.size();
                    long[] predicted = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
                    int[] actual = b.labels();
                    for (int i = 0; i < predicted.length; i++) {
                        confusion[actual[i]][(int) predicted[i]]++;
                        if (predicted[i] == actual[i]) {
                            correct++;
                        }
                    }
                    seen += b.size();
                    scope.suppressNotUsedWarning();
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (seen != set.size()) {
            throw new IllegalStateException("the evaluation read " + seen + " of " + set.size() + " images");
        }
        return new Evaluation(seen, lossSum / seen, (double) correct / seen, confusion, seen / seconds, allLogits);
    }

    private int numClasses() {
        return net.graph().outputNode().outputShape().channels();
    }

    private Map<String, float[]> parameterValues() {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) {
            values.put(p.getName(), p.getArray().toFloatArray());
        }
        return values;
    }

    private static Map<String, float[]> stateValues(Optimizer optimizer) {
        Map<String, float[]> values = new LinkedHashMap<>();
        optimizer.state().forEach((k, v) -> values.put(k, v.toFloatArray()));
        return values;
    }

    private void restoreParameters(Map<String, float[]> values) {
        for (Parameter p : net.parameters()) {
            float[] v = values.get(p.getName());
            if (v == null || v.length != p.getArray().size()) {
                throw new IllegalStateException("the checkpoint does not match " + net.graph().name()
                        + " (parameter " + p.getName() + "); rerun without -Dcnn.resume=true");
            }
            p.getArray().set(v);
        }
    }

    /** Loads a checkpoint's parameters (e.g. the best one) into the network. */
    public static void loadParameters(Network net, Path checkpoint) {
        Checkpoint ck = Checkpoint.read(checkpoint);
        for (Parameter p : net.parameters()) {
            float[] v = ck.parameters().get(p.getName());
            if (v == null) {
                throw new IllegalStateException(checkpoint + " has no parameter " + p.getName() + " of "
                        + net.graph().name());
            }
            p.getArray().set(v);
        }
    }
}
