package io.cnnbench.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.cnnbench.core.djl.Network;

/**
 * One optimisation step: forward in training mode, softmax cross-entropy, backward, update. Shared by the
 * trainer and the speed benchmark, so the benchmark times exactly what training runs.
 */
public final class TrainStep {
    private final Network net;
    private final Optimizer optimizer;
    private final Engine engine;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();

    public TrainStep(Network net, Optimizer optimizer) {
        this.net = net;
        this.optimizer = optimizer;
        this.engine = net.manager().getEngine();
    }

    /**
     * Runs one step on a batch; call inside an {@link ai.djl.ndarray.NDScope} so its temporaries are freed.
     * A non-finite loss skips the update (the caller stops training).
     *
     * @param labels class indices as float32 {@code (N)}
     * @return {mean loss, number of correct top-1 predictions}
     */
    public double[] run(NDArray images, NDArray labels, double lr) {
        return run(images, labels, lr, () -> { });
    }

    /**
     * As {@link #run(NDArray, NDArray, double)}, calling {@code beforeBackward} between the forward and the backward
     * pass: the conformance kit overwrites freed native memory there, which a kernel's backward must not read.
     */
    public double[] run(NDArray images, NDArray labels, double lr, Runnable beforeBackward) {
        NDArray logits;
        NDArray batchLoss;
        try (GradientCollector gc = engine.newGradientCollector()) {
            logits = net.forward(images, true);
            batchLoss = loss.evaluate(new NDList(labels), new NDList(logits));
            beforeBackward.run();
            gc.backward(batchLoss);
        }
        double lossValue = batchLoss.getFloat();
        long correct = logits.argMax(1).eq(labels.toType(DataType.INT64, false))
                .toType(DataType.INT64, false).sum().getLong();
        if (Double.isFinite(lossValue)) {
            optimizer.update(lr);
        }
        return new double[] {lossValue, correct};
    }
}
