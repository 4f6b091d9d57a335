package io.cnnbench.core.train;

/**
 * A model measured on one split.
 *
 * @param confusion counts, rows the true class and columns the predicted one
 * @param logits    the model's class scores, {@code images × classes} in the split's order: what the ONNX check
 *                  compares the exported file with, so the engine does not run the split a second time
 */
public record Evaluation(int images, double loss, double accuracy, long[][] confusion, double imagesPerSecond,
                         float[] logits) {

    public double[] perClassAccuracy() {
        double[] acc = new double[confusion.length];
        for (int i = 0; i < confusion.length; i++) {
            long total = 0;
            for (long v : confusion[i]) {
                total += v;
            }
            acc[i] = total == 0 ? Double.NaN : (double) confusion[i][i] / total;
        }
        return acc;
    }
}
