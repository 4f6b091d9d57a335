package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DataOptionsTest {

  @Test
  void readsTheUserProperties() {
    Properties properties = new Properties();
    properties.setProperty("cnn.dataset", "/data/cifar-10-binary.tar.gz");
    properties.setProperty("cnn.datasetChecksum", "SHA256:" + "AB".repeat(32));
    properties.setProperty("cnn.dataCache", "/tmp/cache");
    properties.setProperty("cnn.trainLimit", "5000");
    properties.setProperty("cnn.testLimit", "1000");
    properties.setProperty("cnn.validationSplit", "0.1");
    properties.setProperty("cnn.seed", "9");
    properties.setProperty("cnn.extractMaxBytes", "1000000");
    properties.setProperty("cnn.extractMaxEntries", "20");
    properties.setProperty("cnn.downloadTimeout", "2.5");
    properties.setProperty("cnn.downloadAttempts", "5");
    properties.setProperty("cnn.cacheLockTimeout", "0");

    DataOptions options = DataOptions.fromProperties(properties);

    assertEquals("/data/cifar-10-binary.tar.gz", options.dataset());
    assertEquals(Optional.of("sha256:" + "ab".repeat(32)), options.checksum());
    assertEquals(Path.of("/tmp/cache"), options.cacheDir());
    assertEquals(5000, options.trainLimit());
    assertEquals(1000, options.testLimit());
    assertEquals(0.1, options.validationSplit());
    assertEquals(9, options.seed());
    assertEquals(1_000_000L, options.extractMaxBytes());
    assertEquals(20, options.extractMaxEntries());
    assertEquals(Duration.ofMillis(2500), options.downloadTimeout());
    assertEquals(5, options.downloadAttempts());
    assertEquals(Duration.ZERO, options.cacheLockTimeout());
    assertEquals(options, options.toBuilder().build());
  }

  @Test
  void defaultsToTheOfficialDatasetAndNoLimits() {
    DataOptions options = DataOptions.fromProperties(new Properties());

    assertEquals(DataOptions.OFFICIAL, options.dataset());
    assertEquals(Optional.empty(), options.checksum());
    assertEquals(0, options.trainLimit());
    assertEquals(0, options.testLimit());
    assertEquals(0.0, options.validationSplit());
    assertEquals(DataOptions.DEFAULT_SEED, options.seed());
    assertEquals(2L << 30, options.extractMaxBytes());
    assertEquals(10_000, options.extractMaxEntries());
    assertEquals(Duration.ofSeconds(60), options.downloadTimeout());
    assertEquals(3, options.downloadAttempts());
    assertEquals(Duration.ofMinutes(10), options.cacheLockTimeout());
  }

  @Test
  void cacheHonoursXdgCacheHome() {
    assertEquals(
        Path.of("/xdg/cache/cnnbench"),
        DataOptions.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/xdg/cache")));
    assertEquals(
        Path.of(System.getProperty("user.home"), ".cache", "cnnbench"),
        DataOptions.defaultCacheDir(Map.of()));
  }

  @Test
  void badValuesNameTheProperty() {
    Properties properties = new Properties();
    properties.setProperty("cnn.trainLimit", "lots");
    CifarDataException limit =
        assertThrows(CifarDataException.class, () -> DataOptions.fromProperties(properties));
    assertTrue(limit.getMessage().contains("cnn.trainLimit=lots"), limit.getMessage());

    CifarDataException split =
        assertThrows(
            CifarDataException.class, () -> DataOptions.builder().validationSplit(1.0).build());
    assertTrue(split.getMessage().contains("cnn.validationSplit"), split.getMessage());

    CifarDataException checksum =
        assertThrows(CifarDataException.class, () -> DataOptions.builder().checksum("sha1:abcd"));
    assertTrue(checksum.getMessage().contains("sha256:HEX or md5:HEX"), checksum.getMessage());

    CifarDataException shortHex =
        assertThrows(CifarDataException.class, () -> DataOptions.builder().checksum("md5:abcd"));
    assertTrue(shortHex.getMessage().contains("32 hexadecimal digits"), shortHex.getMessage());
  }

  @Test
  void aUrlWithoutAHostIsRefusedNamingThePropertyAndAValidForm() {
    for (String url : List.of("https:///cifar.tar.gz", "http://", "HTTPS://:8080/x.tar.gz")) {
      Properties properties = new Properties();
      properties.setProperty("cnn.dataset", url);

      CifarDataException error =
          assertThrows(CifarDataException.class, () -> DataOptions.fromProperties(properties));

      assertTrue(error.getMessage().contains("-Dcnn.dataset=" + url + " "), error.getMessage());
      assertTrue(error.getMessage().contains("https://HOST/PATH"), error.getMessage());
    }
    String valid = "https://mirror.example/data/cifar-10-binary.tar.gz";
    assertEquals(valid, DataOptions.builder().dataset(valid).build().dataset());
  }

  @Test
  void badReliabilityValuesNameTheProperty() {
    Map<String, String> bad =
        Map.of(
            "cnn.extractMaxBytes", "2G",
            "cnn.extractMaxEntries", "many",
            "cnn.downloadTimeout", "soon",
            "cnn.downloadAttempts", "1.5",
            "cnn.cacheLockTimeout", "-1");
    for (Map.Entry<String, String> entry : bad.entrySet()) {
      Properties properties = new Properties();
      properties.setProperty(entry.getKey(), entry.getValue());
      CifarDataException error =
          assertThrows(CifarDataException.class, () -> DataOptions.fromProperties(properties));
      assertTrue(
          error.getMessage().contains(entry.getKey() + "=" + entry.getValue()), error.getMessage());
    }
    Map<String, String> outOfRange =
        Map.of(
            "cnn.extractMaxBytes", "0",
            "cnn.extractMaxEntries", "-3",
            "cnn.downloadTimeout", "0",
            "cnn.downloadAttempts", "0");
    for (Map.Entry<String, String> entry : outOfRange.entrySet()) {
      Properties properties = new Properties();
      properties.setProperty(entry.getKey(), entry.getValue());
      CifarDataException error =
          assertThrows(CifarDataException.class, () -> DataOptions.fromProperties(properties));
      assertTrue(error.getMessage().contains(entry.getKey()), error.getMessage());
    }
  }
}
