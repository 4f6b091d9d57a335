package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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

    DataOptions options = DataOptions.fromProperties(properties);

    assertEquals("/data/cifar-10-binary.tar.gz", options.dataset());
    assertEquals(Optional.of("sha256:" + "ab".repeat(32)), options.checksum());
    assertEquals(Path.of("/tmp/cache"), options.cacheDir());
    assertEquals(5000, options.trainLimit());
    assertEquals(1000, options.testLimit());
    assertEquals(0.1, options.validationSplit());
    assertEquals(9, options.seed());
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
}
