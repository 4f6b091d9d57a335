package io.cnnbench.cifar;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
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
 *
 * <p>Longer than most classes here on purpose: each of its eleven settings has a property name, a default, a
 * builder method with its check and a parse with a message that names the property, and keeping all of them
 * in one immutable value is what lets a run validate every data setting before anything is read.
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

  /** Most bytes one archive may extract to, so a decompression bomb cannot fill the disk. */
  public static final String PROPERTY_EXTRACT_MAX_BYTES = "cnn.extractMaxBytes";

  /** Most entries (files and folders) one archive may hold. */
  public static final String PROPERTY_EXTRACT_MAX_ENTRIES = "cnn.extractMaxEntries";

  /** Seconds a download may wait for the server (headers or the next bytes) before it retries. */
  public static final String PROPERTY_DOWNLOAD_TIMEOUT = "cnn.downloadTimeout";

  /** How often a download is tried in all before giving up. */
  public static final String PROPERTY_DOWNLOAD_ATTEMPTS = "cnn.downloadAttempts";

  /** Seconds to wait for another run that holds the cache lock. */
  public static final String PROPERTY_CACHE_LOCK_TIMEOUT = "cnn.cacheLockTimeout";

  /**
   * 2 GiB: the official archive extracts to about 178 MB in 8 files, so this leaves room for a
   * larger CIFAR-format variant while stopping a bomb long before a disk fills.
   */
  public static final long DEFAULT_EXTRACT_MAX_BYTES = 2L << 30;

  public static final int DEFAULT_EXTRACT_MAX_ENTRIES = 10_000;

  /** Long enough for a slow mirror, short enough that a stalled one is noticed. */
  public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);

  public static final int DEFAULT_DOWNLOAD_ATTEMPTS = 3;

  /** First pause between download attempts; each further pause doubles. */
  static final Duration DEFAULT_DOWNLOAD_RETRY_DELAY = Duration.ofSeconds(2);

  /**
   * Ten minutes: a run that holds the lock is usually extracting or reading, which takes seconds,
   * or downloading 170 MB, which takes minutes; longer waits are more likely a hung run.
   */
  public static final Duration DEFAULT_CACHE_LOCK_TIMEOUT = Duration.ofMinutes(10);

  private final String dataset;
  private final String checksum;
  private final Path cacheDir;
  private final int trainLimit;
  private final int testLimit;
  private final double validationSplit;
  private final long seed;
  private final long extractMaxBytes;
  private final int extractMaxEntries;
  private final Duration downloadTimeout;
  private final int downloadAttempts;
  private final Duration downloadRetryDelay;
  private final Duration cacheLockTimeout;

  private DataOptions(Builder builder) {
    this.dataset = builder.dataset;
    this.checksum = builder.checksum;
    this.cacheDir = builder.cacheDir != null ? builder.cacheDir : defaultCacheDir(System.getenv());
    this.trainLimit = builder.trainLimit;
    this.testLimit = builder.testLimit;
    this.validationSplit = builder.validationSplit;
    this.seed = builder.seed;
    this.extractMaxBytes = builder.extractMaxBytes;
    this.extractMaxEntries = builder.extractMaxEntries;
    this.downloadTimeout = builder.downloadTimeout;
    this.downloadAttempts = builder.downloadAttempts;
    this.downloadRetryDelay = builder.downloadRetryDelay;
    this.cacheLockTimeout = builder.cacheLockTimeout;
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
            .seed(seed)
            .extractMaxBytes(extractMaxBytes)
            .extractMaxEntries(extractMaxEntries)
            .downloadTimeout(downloadTimeout)
            .downloadAttempts(downloadAttempts)
            .downloadRetryDelay(downloadRetryDelay)
            .cacheLockTimeout(cacheLockTimeout);
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
    String maxBytes = value(properties, PROPERTY_EXTRACT_MAX_BYTES);
    if (maxBytes != null) {
      try {
        builder.extractMaxBytes(Long.parseLong(maxBytes));
      } catch (NumberFormatException e) {
        throw new CifarDataException(
            PROPERTY_EXTRACT_MAX_BYTES
                + "="
                + maxBytes
                + " is not a whole number of bytes; the default is "
                + DEFAULT_EXTRACT_MAX_BYTES,
            e);
      }
    }
    String maxEntries = value(properties, PROPERTY_EXTRACT_MAX_ENTRIES);
    if (maxEntries != null) {
      builder.extractMaxEntries(parseCount(PROPERTY_EXTRACT_MAX_ENTRIES, maxEntries));
    }
    String timeout = value(properties, PROPERTY_DOWNLOAD_TIMEOUT);
    if (timeout != null) {
      builder.downloadTimeout(parseSeconds(PROPERTY_DOWNLOAD_TIMEOUT, timeout));
    }
    String attempts = value(properties, PROPERTY_DOWNLOAD_ATTEMPTS);
    if (attempts != null) {
      builder.downloadAttempts(parseCount(PROPERTY_DOWNLOAD_ATTEMPTS, attempts));
    }
    String lockTimeout = value(properties, PROPERTY_CACHE_LOCK_TIMEOUT);
    if (lockTimeout != null) {
      builder.cacheLockTimeout(parseSeconds(PROPERTY_CACHE_LOCK_TIMEOUT, lockTimeout));
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

  private static int parseCount(String property, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new CifarDataException(
          property + "=" + value + " is not a whole number; use a positive count", e);
    }
  }

  /** Seconds, fractions allowed (tests use 0.2), as a duration. */
  private static Duration parseSeconds(String property, String value) {
    double seconds;
    try {
      seconds = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new CifarDataException(
          property + "=" + value + " is not a number of seconds; use e.g. 60", e);
    }
    if (!Double.isFinite(seconds) || seconds < 0 || seconds > 1e9) {
      throw new CifarDataException(
          property + "=" + value + " is not a usable number of seconds; use e.g. 60");
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
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

  /** Most bytes one archive may extract to. */
  public long extractMaxBytes() {
    return extractMaxBytes;
  }

  /** Most entries (files and folders) one archive may hold. */
  public int extractMaxEntries() {
    return extractMaxEntries;
  }

  /** How long a download waits for response headers or for the next bytes of the body. */
  public Duration downloadTimeout() {
    return downloadTimeout;
  }

  /** Attempts in all, at least 1. */
  public int downloadAttempts() {
    return downloadAttempts;
  }

  /** Pause after the first failed attempt; it doubles after each further one. */
  Duration downloadRetryDelay() {
    return downloadRetryDelay;
  }

  /** How long to wait for another run holding the cache lock; zero tries once. */
  public Duration cacheLockTimeout() {
    return cacheLockTimeout;
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
        + ", extractMaxBytes="
        + extractMaxBytes
        + ", extractMaxEntries="
        + extractMaxEntries
        + ", downloadTimeout="
        + downloadTimeout
        + ", downloadAttempts="
        + downloadAttempts
        + ", downloadRetryDelay="
        + downloadRetryDelay
        + ", cacheLockTimeout="
        + cacheLockTimeout
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
        && seed == that.seed
        && extractMaxBytes == that.extractMaxBytes
        && extractMaxEntries == that.extractMaxEntries
        && downloadTimeout.equals(that.downloadTimeout)
        && downloadAttempts == that.downloadAttempts
        && downloadRetryDelay.equals(that.downloadRetryDelay)
        && cacheLockTimeout.equals(that.cacheLockTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        dataset,
        checksum,
        cacheDir,
        trainLimit,
        testLimit,
        validationSplit,
        seed,
        extractMaxBytes,
        extractMaxEntries,
        downloadTimeout,
        downloadAttempts,
        downloadRetryDelay,
        cacheLockTimeout);
  }

  /** True for an {@code http:} or {@code https:} dataset value. */
  static boolean isRemote(String dataset) {
    String lower = dataset.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /**
   * An {@code http:}/{@code https:} dataset value as a URI with a host.
   *
   * @throws CifarDataException naming the property and a valid form otherwise
   */
  static URI remoteUrl(String dataset) {
    URI url;
    try {
      url = new URI(dataset);
    } catch (URISyntaxException e) {
      throw badUrl(dataset, "is not a valid URL (" + e.getMessage() + ")", e);
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw badUrl(dataset, "is not a usable URL: it names no host", null);
    }
    return url;
  }

  private static CifarDataException badUrl(String dataset, String problem, Exception cause) {
    return new CifarDataException(
        "-D"
            + PROPERTY_DATASET
            + "="
            + dataset
            + " "
            + problem
            + ". Write http://HOST/PATH or https://HOST/PATH, e.g. -D"
            + PROPERTY_DATASET
            + "=https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, or use "
            + OFFICIAL
            + ", "
            + SAMPLE
            + " or a local path.",
        cause);
  }

  /** A duration as seconds, the unit the properties use. */
  static String seconds(Duration duration) {
    return duration.toMillis() / 1000.0 + " s";
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
    private long extractMaxBytes = DEFAULT_EXTRACT_MAX_BYTES;
    private int extractMaxEntries = DEFAULT_EXTRACT_MAX_ENTRIES;
    private Duration downloadTimeout = DEFAULT_DOWNLOAD_TIMEOUT;
    private int downloadAttempts = DEFAULT_DOWNLOAD_ATTEMPTS;
    private Duration downloadRetryDelay = DEFAULT_DOWNLOAD_RETRY_DELAY;
    private Duration cacheLockTimeout = DEFAULT_CACHE_LOCK_TIMEOUT;

    private Builder() {}

    /** See the class comment for accepted values. Default {@value DataOptions#OFFICIAL}. */
    public Builder dataset(String dataset) {
      Objects.requireNonNull(dataset, "dataset");
      if (dataset.isBlank()) {
        throw new CifarDataException(
            "The dataset is empty; use cifar10, cifar10-sample, a path or a URL");
      }
      String trimmed = dataset.trim();
      if (isRemote(trimmed)) {
        // Checked here, so a malformed URL fails before anything runs and never reaches
        // HttpClient, which throws an unchecked IllegalArgumentException for it.
        remoteUrl(trimmed);
      }
      this.dataset = trimmed;
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

    /** Default {@value DataOptions#DEFAULT_EXTRACT_MAX_BYTES} (2 GiB). */
    public Builder extractMaxBytes(long extractMaxBytes) {
      this.extractMaxBytes = extractMaxBytes;
      return this;
    }

    /** Default {@value DataOptions#DEFAULT_EXTRACT_MAX_ENTRIES}. */
    public Builder extractMaxEntries(int extractMaxEntries) {
      this.extractMaxEntries = extractMaxEntries;
      return this;
    }

    /** Default 60 s. */
    public Builder downloadTimeout(Duration downloadTimeout) {
      this.downloadTimeout = Objects.requireNonNull(downloadTimeout, "downloadTimeout");
      return this;
    }

    /** Default {@value DataOptions#DEFAULT_DOWNLOAD_ATTEMPTS}. */
    public Builder downloadAttempts(int downloadAttempts) {
      this.downloadAttempts = downloadAttempts;
      return this;
    }

    /** Default 2 s; only tests need another value, so it has no property. */
    Builder downloadRetryDelay(Duration downloadRetryDelay) {
      this.downloadRetryDelay = Objects.requireNonNull(downloadRetryDelay, "downloadRetryDelay");
      return this;
    }

    /** Default 10 minutes; zero tries once. */
    public Builder cacheLockTimeout(Duration cacheLockTimeout) {
      this.cacheLockTimeout = Objects.requireNonNull(cacheLockTimeout, "cacheLockTimeout");
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
      if (extractMaxBytes <= 0) {
        throw new CifarDataException(
            PROPERTY_EXTRACT_MAX_BYTES
                + " must be a positive number of bytes (CIFAR-10 needs about 178 MB), was "
                + extractMaxBytes);
      }
      if (extractMaxEntries <= 0) {
        throw new CifarDataException(
            PROPERTY_EXTRACT_MAX_ENTRIES
                + " must be positive (CIFAR-10 has 8 entries), was "
                + extractMaxEntries);
      }
      if (downloadTimeout.isNegative() || downloadTimeout.isZero()) {
        throw new CifarDataException(
            PROPERTY_DOWNLOAD_TIMEOUT + " must be a positive number of seconds, was "
                + seconds(downloadTimeout));
      }
      if (downloadAttempts <= 0) {
        throw new CifarDataException(
            PROPERTY_DOWNLOAD_ATTEMPTS + " must be at least 1, was " + downloadAttempts);
      }
      if (downloadRetryDelay.isNegative()) {
        throw new CifarDataException(
            "The download retry delay must not be negative, was " + downloadRetryDelay);
      }
      if (cacheLockTimeout.isNegative()) {
        throw new CifarDataException(
            PROPERTY_CACHE_LOCK_TIMEOUT + " must be 0 or more seconds, was "
                + seconds(cacheLockTimeout));
      }
      return new DataOptions(this);
    }
  }
}
