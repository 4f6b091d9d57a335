package io.cnnbench.cifar;

import java.nio.FloatBuffer;

/** Measures how fast the batch pipeline alone can deliver training images. */
public final class PipelineThroughput {

  /** Seed of the measured streams; throughput does not depend on it. */
  private static final long SEED = 0L;

  private PipelineThroughput() {}

  /**
   * Runs {@code epochs} training passes (epochs 0.. with seed 0) and consumes every batch, reading
   * one float per batch so the work cannot be skipped, and closing it as a training loop should.
   *
   * @return training images delivered per second of wall-clock time, including the start of each
   *     epoch's producer thread, as a training loop would see it
   */
  public static double imagesPerSecond(
      ImageSet images, Augmentation augmentation, int batchSize, int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
    }
    if (images.size() == 0) {
      throw new IllegalArgumentException("The image set is empty");
    }
    long delivered = 0;
    double checksum = 0;
    long start = System.nanoTime();
    for (int epoch = 0; epoch < epochs; epoch++) {
      try (BatchStream stream =
          BatchStream.training(images, augmentation, batchSize, SEED, epoch)) {
        while (stream.hasNext()) {
          try (Batch batch = stream.next()) {
            FloatBuffer floats = batch.images();
            checksum += floats.get(floats.limit() - 1);
            delivered += batch.size();
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (Double.isNaN(checksum)) {
      throw new IllegalStateException("The pipeline produced NaN");
    }
    return delivered / seconds;
  }
}
