package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile archives are refused, naming the entry, and leave nothing behind. */
class ArchiveSafetyTest {

  @TempDir Path temp;

  private CifarDataException loadArchiveWithExtra(TestData.Entry hostile) throws IOException {
    List<TestData.Entry> entries = new ArrayList<>(TestData.officialEntries(TestData.files()));
    // In the middle, so the refusal also discards what was already extracted.
    entries.add(3, hostile);
    Path archive = TestData.writeArchive(temp.resolve("in/hostile.tar.gz"), entries);
    DataOptions options =
        DataOptions.builder().dataset(archive.toString()).cacheDir(temp.resolve("cache")).build();
    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options));
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")), "nothing may be cached");
    return error;
  }

  @Test
  void refusesParentDirectorySegments() throws IOException {
    CifarDataException error =
        loadArchiveWithExtra(
            TestData.Entry.file("cifar-10-batches-bin/../../escaped.txt", new byte[] {1}));

    assertTrue(
        error.getMessage().contains("'cifar-10-batches-bin/../../escaped.txt'"),
        error.getMessage());
    assertTrue(error.getMessage().contains("'..'"), error.getMessage());
    assertFalse(Files.exists(temp.resolve("escaped.txt")));
    assertFalse(Files.exists(temp.resolve("cache/escaped.txt")));
    assertFalse(Files.exists(temp.resolve("cache/cifar10/escaped.txt")));
  }

  @Test
  void refusesAbsolutePaths() throws IOException {
    Path outside = temp.resolve("absolute-target.txt");

    CifarDataException error =
        loadArchiveWithExtra(TestData.Entry.file(outside.toString(), new byte[] {1}));

    assertTrue(error.getMessage().contains("'" + outside + "'"), error.getMessage());
    assertTrue(error.getMessage().contains("absolute path"), error.getMessage());
    assertFalse(Files.exists(outside));
  }

  @Test
  void refusesSymbolicLinks() throws IOException {
    CifarDataException error =
        loadArchiveWithExtra(TestData.Entry.symlink("cifar-10-batches-bin/link", "/etc"));

    assertTrue(error.getMessage().contains("'cifar-10-batches-bin/link'"), error.getMessage());
    assertTrue(error.getMessage().contains("symbolic link"), error.getMessage());
  }

  @Test
  void refusesHardLinks() throws IOException {
    CifarDataException error =
        loadArchiveWithExtra(
            TestData.Entry.hardLink(
                "cifar-10-batches-bin/hard", "cifar-10-batches-bin/data_batch_1.bin"));

    assertTrue(error.getMessage().contains("'cifar-10-batches-bin/hard'"), error.getMessage());
    assertTrue(error.getMessage().contains("hard link"), error.getMessage());
  }

  @Test
  void refusesAFileThatIsNotGzip() throws IOException {
    Path archive = temp.resolve("in/not-an-archive.tar.gz");
    Files.createDirectories(archive.getParent());
    Files.writeString(archive, "this is not gzip");
    DataOptions options =
        DataOptions.builder().dataset(archive.toString()).cacheDir(temp.resolve("cache")).build();

    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options));

    assertTrue(error.getMessage().contains("Could not extract"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }
}
