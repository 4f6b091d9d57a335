package io.cnnbench.core.train;

/**
 * A model measured on one split.
 *
 * @param confusion counts, rows the true class and columns the predicted one
 */
public record Evaluation(int images, double loss, double accuracy, long[][] confusion, double imagesPerSecond) {

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
