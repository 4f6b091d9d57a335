package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads a real CIFAR-10 archive, only when {@code
 * -Dcnn.realArchive=/path/to/cifar-10-binary.tar.gz} is given (development machines); skipped
 * otherwise, so fresh machines need no data.
 */
class RealArchiveTest {

  @TempDir Path cache;

  @Test
  void realArchiveHasTheFullDataset() {
    String archive = System.getProperty("cnn.realArchive");
    assumeTrue(
        archive != null && !archive.isBlank(),
        "Skipped: set -Dcnn.realArchive=/path/to/cifar-10-binary.tar.gz to load a real archive");

    CifarDataset data =
        CifarDataset.load(DataOptions.builder().dataset(archive).cacheDir(cache).build());

    assertEquals(50_000, data.train().size());
    assertEquals(10_000, data.test().size());
    int[] thousand = new int[10];
    Arrays.fill(thousand, 1000);
    assertArrayEquals(thousand, data.test().classCounts());
    assertEquals(CifarBinaryFormat.STANDARD_CLASS_NAMES, data.classNames());
  }
}
