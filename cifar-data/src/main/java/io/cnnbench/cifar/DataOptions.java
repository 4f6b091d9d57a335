package io.cnnbench.cifar;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where CIFAR-10 comes from and how much of it to use. Immutable; build with {@link #builder()} or
 * read the user-facing properties with {@link #fromProperties(Properties)}.
 *
 * <p>Dataset values: {@value #OFFICIAL} (official download), {@value #SAMPLE} (embedded 2,000 / 500
 * image sample), a path to a {@code .tar.gz} archive or to a directory holding the extracted files,
 * or a {@code file:}, {@code http:} or {@code https:} URL of an archive.
 */
public final class DataOptions {

  /** Dataset value selecting the official download from the CIFAR-10 page. */
  public static final String OFFICIAL = "cifar10";

  /** Dataset value selecting the sample embedded in this module. */
  public static final String SAMPLE = "cifar10-sample";

  public static final String PROPERTY_DATASET = "cnn.dataset";
  public static final String PROPERTY_CHECKSUM = "cnn.datasetChecksum";
  public static final String PROPERTY_CACHE = "cnn.dataCache";
  public static final String PROPERTY_TRAIN_LIMIT = "cnn.trainLimit";
  public static final String PROPERTY_TEST_LIMIT = "cnn.testLimit";
  public static final String PROPERTY_VALIDATION_SPLIT = "cnn.validationSplit";

  /** Seed of the validation split (the other properties do not depend on it). */
  public static final String PROPERTY_SEED = "cnn.seed";

  public static final long DEFAULT_SEED = 42L;

  private final String dataset;
  private final String checksum;
  private final Path cacheDir;
  private final int trainLimit;
  private final int testLimit;
  private final double validationSplit;
  private final long seed;

  private DataOptions(Builder builder) {
    this.dataset = builder.dataset;
    this.checksum = builder.checksum;
    this.cacheDir = builder.cacheDir != null ? builder.cacheDir : defaultCacheDir(System.getenv());
    this.trainLimit = builder.trainLimit;
    this.testLimit = builder.testLimit;
    this.validationSplit = builder.validationSplit;
    this.seed = builder.seed;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's values, to change a few of them. */
  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .dataset(dataset)
            .cacheDir(cacheDir)
            .trainLimit(trainLimit)
            .testLimit(testLimit)
            .validationSplit(validationSplit)
            .seed(seed);
    builder.checksum = checksum;
    return builder;
  }

  /**
   * Reads the {@code cnn.*} properties named by the {@code PROPERTY_*} constants; absent or blank
   * properties keep their defaults. Malformed numbers raise {@link CifarDataException} naming the
   * property.
   */
  public static DataOptions fromProperties(Properties properties) {
    Builder builder = builder();
    String dataset = value(properties, PROPERTY_DATASET);
    if (dataset != null) {
      builder.dataset(dataset);
    }
    builder.checksum(value(properties, PROPERTY_CHECKSUM));
    String cache = value(properties, PROPERTY_CACHE);
    if (cache != null) {
      builder.cacheDir(Path.of(cache));
    }
    String trainLimit = value(properties, PROPERTY_TRAIN_LIMIT);
    if (trainLimit != null) {
      builder.trainLimit(parseInt(PROPERTY_TRAIN_LIMIT, trainLimit));
    }
    String testLimit = value(properties, PROPERTY_TEST_LIMIT);
    if (testLimit != null) {
      builder.testLimit(parseInt(PROPERTY_TEST_LIMIT, testLimit));
    }
    String split = value(properties, PROPERTY_VALIDATION_SPLIT);
    if (split != null) {
      try {
        builder.validationSplit(Double.parseDouble(split));
      } catch (NumberFormatException e) {
        throw new CifarDataException(
            PROPERTY_VALIDATION_SPLIT + "=" + split + " is not a number; use e.g. 0.1 or 0", e);
      }
    }
    String seed = value(properties, PROPERTY_SEED);
    if (seed != null) {
      try {
        builder.seed(Long.parseLong(seed));
      } catch (NumberFormatException e) {
        throw new CifarDataException(PROPERTY_SEED + "=" + seed + " is not a whole number", e);
      }
    }
    return builder.build();
  }

  /** {@link #fromProperties(Properties)} over {@link System#getProperties()}. */
  public static DataOptions fromSystemProperties() {
    return fromProperties(System.getProperties());
  }

  /**
   * {@code $XDG_CACHE_HOME/cnnbench} when that variable is set, else {@code
   * ${user.home}/.cache/cnnbench}.
   */
  public static Path defaultCacheDir(Map<String, String> environment) {
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "cnnbench");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "cnnbench");
  }

  private static String value(Properties properties, String name) {
    String value = properties.getProperty(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int parseInt(String property, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new CifarDataException(
          property + "=" + value + " is not a whole number; use 0 for no limit", e);
    }
  }

  public String dataset() {
    return dataset;
  }

  /** The user's checksum as {@code algorithm:hex} (lower case), if one was given. */
  public Optional<String> checksum() {
    return Optional.ofNullable(checksum);
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /** Training images to use, 0 for all. */
  public int trainLimit() {
    return trainLimit;
  }

  /** Test images to use, 0 for all. */
  public int testLimit() {
    return testLimit;
  }

  /** Fraction of the (limited) training images held out for validation; 0 validates on test. */
  public double validationSplit() {
    return validationSplit;
  }

  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return "DataOptions{dataset="
        + dataset
        + ", checksum="
        + (checksum == null ? "none" : checksum)
        + ", cacheDir="
        + cacheDir
        + ", trainLimit="
        + trainLimit
        + ", testLimit="
        + testLimit
        + ", validationSplit="
        + validationSplit
        + ", seed="
        + seed
        + "}";
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof DataOptions)) {
      return false;
    }
    DataOptions that = (DataOptions) other;
    return dataset.equals(that.dataset)
        && Objects.equals(checksum, that.checksum)
        && cacheDir.equals(that.cacheDir)
        && trainLimit == that.trainLimit
        && testLimit == that.testLimit
        && Double.compare(validationSplit, that.validationSplit) == 0
        && seed == that.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dataset, checksum, cacheDir, trainLimit, testLimit, validationSplit, seed);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private String dataset = OFFICIAL;
    private String checksum;
    private Path cacheDir;
    private int trainLimit;
    private int testLimit;
    private double validationSplit;
    private long seed = DEFAULT_SEED;

    private Builder() {}

    /** See the class comment for accepted values. Default {@value DataOptions#OFFICIAL}. */
    public Builder dataset(String dataset) {
      Objects.requireNonNull(dataset, "dataset");
      if (dataset.isBlank()) {
        throw new CifarDataException(
            "The dataset is empty; use cifar10, cifar10-sample, a path or a URL");
      }
      this.dataset = dataset.trim();
      return this;
    }

    /**
     * {@code sha256:HEX} or {@code md5:HEX}; null or blank for none. Checked here, so a typo fails
     * before anything is downloaded.
     */
    public Builder checksum(String checksum) {
      this.checksum =
          checksum == null || checksum.isBlank() ? null : Checksum.parse(checksum).toString();
      return this;
    }

    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
      return this;
    }

    public Builder trainLimit(int trainLimit) {
      this.trainLimit = trainLimit;
      return this;
    }

    public Builder testLimit(int testLimit) {
      this.testLimit = testLimit;
      return this;
    }

    public Builder validationSplit(double validationSplit) {
      this.validationSplit = validationSplit;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public DataOptions build() {
      if (trainLimit < 0) {
        throw new CifarDataException(
            PROPERTY_TRAIN_LIMIT + " must be 0 (all) or positive, was " + trainLimit);
      }
      if (testLimit < 0) {
        throw new CifarDataException(
            PROPERTY_TEST_LIMIT + " must be 0 (all) or positive, was " + testLimit);
      }
      if (!(validationSplit >= 0.0 && validationSplit < 1.0)) {
        throw new CifarDataException(
            PROPERTY_VALIDATION_SPLIT
                + " must be at least 0 and below 1 (0 validates on the test split), was "
                + validationSplit);
      }
      return new DataOptions(this);
    }
  }
}
