package io.cnnbench.cifar.tools;

import io.cnnbench.cifar.Augmentation;
import io.cnnbench.cifar.CifarDataset;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.cifar.ImageSet;
import io.cnnbench.cifar.PipelineThroughput;
import java.util.Locale;

/**
 * Prints how many training images per second the batch pipeline alone delivers.
 *
 * <pre>
 * java -cp ... io.cnnbench.cifar.tools.PipelineBenchmark [--dataset=cifar10-sample]
 *     [--augmentation=NOTEBOOK|PAD4_CROP32] [--batch=64] [--epochs=3]
 * </pre>
 *
 * The {@code cnn.*} system properties of {@link DataOptions} apply too; {@code --dataset} overrides
 * {@code cnn.dataset}, and without either the embedded sample is used.
 */
public final class PipelineBenchmark {

  private PipelineBenchmark() {}

  public static void main(String[] args) {
    String dataset = System.getProperty(DataOptions.PROPERTY_DATASET, DataOptions.SAMPLE);
    Augmentation augmentation = Augmentation.NOTEBOOK;
    int batchSize = 64;
    int epochs = 3;
    for (String arg : args) {
      String[] parts = arg.split("=", 2);
      if (parts.length != 2) {
        usage("unexpected argument " + arg);
      }
      switch (parts[0]) {
        case "--dataset":
          dataset = parts[1];
          break;
        case "--augmentation":
          augmentation = Augmentation.valueOf(parts[1].toUpperCase(Locale.ROOT));
          break;
        case "--batch":
          batchSize = Integer.parseInt(parts[1]);
          break;
        case "--epochs":
          epochs = Integer.parseInt(parts[1]);
          break;
        default:
          usage("unknown option " + parts[0]);
      }
    }
    CifarDataset data =
        CifarDataset.load(DataOptions.fromSystemProperties().toBuilder().dataset(dataset).build());
    ImageSet train = data.train();
    // One untimed epoch lets the JIT compile the assembler before the measurement.
    PipelineThroughput.imagesPerSecond(train, augmentation, batchSize, 1);
    double rate = PipelineThroughput.imagesPerSecond(train, augmentation, batchSize, epochs);
    System.out.printf(
        Locale.ROOT,
        "pipeline %s batch=%d epochs=%d images=%d: %.0f images/s (%s)%n",
        augmentation,
        batchSize,
        epochs,
        train.size(),
        rate,
        data.source());
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: PipelineBenchmark [--dataset=cifar10-sample|cifar10|PATH|URL]"
            + " [--augmentation=NOTEBOOK|PAD4_CROP32] [--batch=64] [--epochs=3]");
    System.exit(2);
  }
}
