package io.cnnbench.cifar;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CIFAR-10 in memory: training, validation and test images with their class names.
 *
 * <p>Order of operations: the source is read (training images in file order of {@code
 * data_batch_1..5}); {@code trainLimit} and {@code testLimit} keep a class-balanced subset (the
 * first images of each class in file order, independent of the seed); then {@code validationSplit}
 * holds out that fraction of the remaining training images, stratified by class and chosen with the
 * seed. So {@code train().size() + validation().size() == trainLimit} whenever a split is
 * requested.
 */
public final class CifarDataset {

  private static final Logger LOG = LoggerFactory.getLogger(CifarDataset.class);

  private final ImageSet train;
  private final ImageSet validation;
  private final ImageSet test;
  private final List<String> classNames;
  private final String source;
  private final boolean validationIsTest;

  private CifarDataset(
      ImageSet train,
      ImageSet validation,
      ImageSet test,
      List<String> classNames,
      String source,
      boolean validationIsTest) {
    this.train = train;
    this.validation = validation;
    this.test = test;
    this.classNames = classNames;
    this.source = source;
    this.validationIsTest = validationIsTest;
  }

  /**
   * Loads the dataset the options name, downloading and extracting into the cache only when nothing
   * usable is cached yet.
   *
   * @throws CifarDataException saying what went wrong and what to do about it
   */
  public static CifarDataset load(DataOptions options) {
    return load(options, SourceResolver.OFFICIAL_URL);
  }

  /** {@link #load(DataOptions)} with the official download address replaced, for tests. */
  static CifarDataset load(DataOptions options, URI officialUrl) {
    SourceResolver.Resolved resolved = new SourceResolver(options, officialUrl).resolve();
    ImageSet allTrain = resolved.contents.train;
    ImageSet allTest = resolved.contents.test;

    ImageSet train = limit(allTrain, options.trainLimit(), "training");
    ImageSet test = limit(allTest, options.testLimit(), "test");
    ImageSet validation;
    boolean validationIsTest = options.validationSplit() == 0.0;
    if (validationIsTest) {
      validation = test;
    } else {
      int[][] split = stratifiedSplit(train, options.validationSplit(), options.seed());
      validation = train.subset(split[1]);
      train = train.subset(split[0]);
    }
    CifarDataset dataset =
        new CifarDataset(
            train,
            validation,
            test,
            resolved.contents.classNames,
            resolved.description,
            validationIsTest);
    LOG.info("Loaded {}", dataset);
    return dataset;
  }

  /**
   * The first images of each class in set order, {@code limit} in all, spread over the classes as
   * evenly as their counts allow (counts differ by at most one unless a class runs out); the result
   * keeps the set's order. 0 or a limit at least the set's size keeps everything.
   */
  static ImageSet limit(ImageSet images, int limit, String what) {
    if (limit == 0 || limit >= images.size()) {
      if (limit > images.size()) {
        LOG.info(
            "The {} limit {} exceeds the {} images available; using all",
            what,
            limit,
            images.size());
      }
      return images;
    }
    int[] available = images.classCounts();
    int[] quota = new int[available.length];
    int remaining = limit;
    while (remaining > 0) {
      for (int label = 0; label < quota.length && remaining > 0; label++) {
        if (quota[label] < available[label]) {
          quota[label]++;
          remaining--;
        }
      }
    }
    int[] taken = new int[quota.length];
    int[] indices = new int[limit];
    int count = 0;
    for (int i = 0; i < images.size() && count < limit; i++) {
      int label = images.label(i);
      if (taken[label] < quota[label]) {
        taken[label]++;
        indices[count++] = i;
      }
    }
    return images.subset(indices);
  }

  /**
   * Indices {@code {train, validation}}, both ascending. The validation count is {@code
   * round(fraction * size)} (at least 1); each class contributes in proportion to its size,
   * remainders going to the largest fractional parts; within a class the images are picked by a
   * seeded shuffle.
   */
  static int[][] stratifiedSplit(ImageSet images, double fraction, long seed) {
    int size = images.size();
    int validationCount = (int) Math.max(1, Math.round(fraction * size));
    if (validationCount >= size) {
      throw new CifarDataException(
          "A validation split of "
              + fraction
              + " leaves no training images out of "
              + size
              + "; lower -D"
              + DataOptions.PROPERTY_VALIDATION_SPLIT
              + " or raise -D"
              + DataOptions.PROPERTY_TRAIN_LIMIT);
    }
    int[] counts = images.classCounts();
    int classes = counts.length;
    int[] perClass = new int[classes];
    double[] remainder = new double[classes];
    int assigned = 0;
    for (int label = 0; label < classes; label++) {
      double share = (double) counts[label] * validationCount / size;
      perClass[label] = (int) Math.floor(share);
      remainder[label] = share - perClass[label];
      assigned += perClass[label];
    }
    while (assigned < validationCount) {
      int best = -1;
      for (int label = 0; label < classes; label++) {
        if (perClass[label] < counts[label] && (best < 0 || remainder[label] > remainder[best])) {
          best = label;
        }
      }
      perClass[best]++;
      remainder[best] = -1;
      assigned++;
    }

    List<List<Integer>> byClass = new ArrayList<>();
    for (int label = 0; label < classes; label++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < size; i++) {
      byClass.get(images.label(i)).add(i);
    }
    boolean[] held = new boolean[size];
    SplittableRandom random = new SplittableRandom(Shuffle.mix(seed, 0x56414c4944L));
    for (int label = 0; label < classes; label++) {
      List<Integer> members = byClass.get(label);
      // Partial Fisher-Yates: the first perClass[label] positions become a uniform sample.
      for (int i = 0; i < perClass[label]; i++) {
        int j = i + random.nextInt(members.size() - i);
        Integer swap = members.get(i);
        members.set(i, members.get(j));
        members.set(j, swap);
        held[members.get(i)] = true;
      }
    }
    int[] trainIndices = new int[size - validationCount];
    int[] validationIndices = new int[validationCount];
    int t = 0;
    int v = 0;
    for (int i = 0; i < size; i++) {
      if (held[i]) {
        validationIndices[v++] = i;
      } else {
        trainIndices[t++] = i;
      }
    }
    return new int[][] {trainIndices, validationIndices};
  }

  /** Training images (after limit and validation hold-out). */
  public ImageSet train() {
    return train;
  }

  /** The held-out validation images, or the test set itself when validationSplit is 0. */
  public ImageSet validation() {
    return validation;
  }

  /** Test images (after limit). */
  public ImageSet test() {
    return test;
  }

  /** Whether {@link #validation()} is the test set (validationSplit 0, as in the notebook). */
  public boolean validationIsTest() {
    return validationIsTest;
  }

  /** Class names in label order, from {@code batches.meta.txt}. */
  public List<String> classNames() {
    return classNames;
  }

  /** Where the data came from, for logs and reports. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "CifarDataset{train="
        + train.size()
        + ", validation="
        + (validationIsTest ? "test" : String.valueOf(validation.size()))
        + ", test="
        + test.size()
        + ", trainPerClass="
        + Arrays.toString(train.classCounts())
        + ", source="
        + source
        + "}";
  }
}
