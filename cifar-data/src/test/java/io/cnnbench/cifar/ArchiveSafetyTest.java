package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile archives are refused, naming the entry, and leave nothing behind. */
class ArchiveSafetyTest {

  @TempDir Path temp;

  private CifarDataException loadArchiveWithExtra(TestData.Entry... hostile) throws IOException {
    List<TestData.Entry> entries = new ArrayList<>(TestData.officialEntries(TestData.files()));
    // In the middle, so the refusal also discards what was already extracted.
    entries.addAll(3, List.of(hostile));
    Path archive = TestData.writeArchive(temp.resolve("in/hostile.tar.gz"), entries);
    DataOptions options =
        DataOptions.builder().dataset(archive.toString()).cacheDir(temp.resolve("cache")).build();
    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options));
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")), "nothing may be cached");
    return error;
  }

  @Test
  void aFolderWhereAFileWasExtractedIsADamagedArchiveNotAFullDisk() throws IOException {
    for (TestData.Entry second :
        List.of(
            TestData.Entry.directory("cifar-10-batches-bin/clash/"),
            TestData.Entry.file("cifar-10-batches-bin/clash/inner.bin", new byte[] {2}))) {
      CifarDataException error =
          loadArchiveWithExtra(
              TestData.Entry.file("cifar-10-batches-bin/clash", new byte[] {1}), second);

      assertTrue(error.getMessage().contains("'" + second.name + "'"), error.getMessage());
      assertTrue(
          error.getMessage().contains("with the name of a file extracted earlier"),
          error.getMessage());
      assertFalse(error.getMessage().contains("free space"), error.getMessage());
    }
  }

  @Test
  void refusesANulCharacterInAnEntryName() throws IOException {
    // Longer than tar's 100-byte name field, so the name travels whole in a PAX header.
    String name = "cifar-10-batches-bin/" + "n".repeat(100) + "\0.bin";

    CifarDataException error = loadArchiveWithExtra(TestData.Entry.file(name, new byte[] {1}));

    assertTrue(error.getMessage().contains("NUL character"), error.getMessage());
  }

  @Test
  void aNameLongerThanAFileSystemTakesIsADamagedArchiveNotAFullDisk() throws IOException {
    String name = "cifar-10-batches-bin/" + "n".repeat(300) + ".bin";

    CifarDataException error = loadArchiveWithExtra(TestData.Entry.file(name, new byte[] {1}));

    assertTrue(error instanceof ArchiveExtractor.DamagedArchiveException, error.toString());
    assertTrue(error.getMessage().contains("has a name of 304 bytes"), error.getMessage());
    assertTrue(error.getMessage().contains("over 255 bytes"), error.getMessage());
    assertFalse(error.getMessage().contains("free space"), error.getMessage());
  }

  @Test
  void aDeepPathOfShortNamesIsNotRefusedForItsLength() throws IOException {
    // What the name limit lets through: 300 bytes of path, no name over 20.
    String name = "cifar-10-batches-bin/" + "deeper-folder-name/".repeat(15) + "x.bin";
    List<TestData.Entry> entries = new ArrayList<>(TestData.officialEntries(TestData.files()));
    entries.add(TestData.Entry.file(name, new byte[] {1}));
    Path archive = TestData.writeArchive(temp.resolve("in/deep.tar.gz"), entries);
    DataOptions options =
        DataOptions.builder().dataset(archive.toString()).cacheDir(temp.resolve("cache")).build();
    assertTrue(CifarDataset.load(options).train().size() > 0);
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
  void refusesFifoEntries() throws IOException {
    CifarDataException error =
        loadArchiveWithExtra(
            TestData.Entry.special("cifar-10-batches-bin/pipe", TarConstants.LF_FIFO));

    assertTrue(error.getMessage().contains("'cifar-10-batches-bin/pipe'"), error.getMessage());
    assertTrue(error.getMessage().contains("FIFO"), error.getMessage());
  }

  @Test
  void refusesCharacterDevices() throws IOException {
    CifarDataException error =
        loadArchiveWithExtra(
            TestData.Entry.special("cifar-10-batches-bin/null", TarConstants.LF_CHR));

    assertTrue(error.getMessage().contains("'cifar-10-batches-bin/null'"), error.getMessage());
    assertTrue(error.getMessage().contains("character device"), error.getMessage());
  }

  @Test
  void refusesBlockDevices() throws IOException {
    CifarDataException error =
        loadArchiveWithExtra(
            TestData.Entry.special("cifar-10-batches-bin/sda", TarConstants.LF_BLK));

    assertTrue(error.getMessage().contains("'cifar-10-batches-bin/sda'"), error.getMessage());
    assertTrue(error.getMessage().contains("block device"), error.getMessage());
  }

  @Test
  void refusesUnknownEntryTypes() throws IOException {
    // 'V' is a GNU volume header: neither a file nor a folder.
    CifarDataException error =
        loadArchiveWithExtra(TestData.Entry.special("cifar-10-batches-bin/volume", (byte) 'V'));

    assertTrue(error.getMessage().contains("'cifar-10-batches-bin/volume'"), error.getMessage());
    assertTrue(error.getMessage().contains("entry type 'V'"), error.getMessage());
  }

  @Test
  void decompressionBombStopsAtTheByteCap() throws IOException {
    List<TestData.Entry> entries = new ArrayList<>(TestData.officialEntries(TestData.files()));
    // 8 MiB of zeros gzip to about 8 KB, next to the 400 KB of random test pixels.
    entries.add(TestData.Entry.file("cifar-10-batches-bin/zeros.bin", new byte[8 << 20]));
    Path archive = TestData.writeArchive(temp.resolve("in/bomb.tar.gz"), entries);
    assertTrue(Files.size(archive) < 500_000, "the archive is small: " + Files.size(archive));
    long cap = 1 << 20;
    DataOptions options =
        DataOptions.builder()
            .dataset(archive.toString())
            .cacheDir(temp.resolve("cache"))
            .extractMaxBytes(cap)
            .build();

    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options));

    assertTrue(error.getMessage().contains(archive.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("more than " + cap + " bytes"), error.getMessage());
    assertTrue(error.getMessage().contains("-Dcnn.extractMaxBytes=" + cap), error.getMessage());
    assertTrue(error.getMessage().contains("raise -Dcnn.extractMaxBytes"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")), "nothing may be cached");

    // The same archive under the default cap: the cap, not the archive, made the difference.
    DataOptions defaultCap =
        options.toBuilder().extractMaxBytes(DataOptions.DEFAULT_EXTRACT_MAX_BYTES).build();
    CifarDataset data = CifarDataset.load(defaultCap);
    assertEquals(100, data.train().size());
  }

  @Test
  void anOversizedPaxHeaderOrLongNameIsRefusedAsDamaged() throws IOException {
    // commons-compress reads a PAX header or GNU long name whole into memory, and the byte cap
    // counts only files: 16 MiB here (a 16 KB archive), 400 MB made a run fail with an
    // OutOfMemoryError.
    for (byte type :
        new byte[] {TarConstants.LF_PAX_EXTENDED_HEADER_LC, TarConstants.LF_GNUTYPE_LONGNAME}) {
      Path archive =
          TestData.writeArchiveWithLargeHeader(
              temp.resolve("in/header-" + (char) type + ".tar.gz"), type, 16 << 20);
      DataOptions options =
          DataOptions.builder().dataset(archive.toString()).cacheDir(temp.resolve("cache")).build();

      CifarDataException error =
          assertThrows(CifarDataException.class, () -> CifarDataset.load(options));

      assertTrue(error instanceof ArchiveExtractor.DamagedArchiveException, error.toString());
      assertTrue(error.getMessage().contains(archive.toString()), error.getMessage());
      assertTrue(
          error.getMessage().contains("tar headers of more than 65536 bytes"), error.getMessage());
      assertFalse(error.getMessage().contains("free space"), error.getMessage());
      assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")), "nothing may be cached");
    }
  }

  @Test
  void headersWithinTheirAllowanceAreRead() throws IOException {
    // A 4 KiB comment, as long as a path may be, is read and ignored.
    Path archive =
        TestData.writeArchiveWithLargeHeader(
            temp.resolve("in/comment.tar.gz"), TarConstants.LF_PAX_EXTENDED_HEADER_LC, 4096);
    DataOptions options =
        DataOptions.builder().dataset(archive.toString()).cacheDir(temp.resolve("cache")).build();

    assertEquals(100, CifarDataset.load(options).train().size());
  }

  @Test
  void tooManyEntriesStopAtTheEntryCap() throws IOException {
    // The official layout has 8 entries: the folder, six batches and the class names.
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/official.tar.gz"));
    DataOptions options =
        DataOptions.builder()
            .dataset(archive.toString())
            .cacheDir(temp.resolve("cache"))
            .extractMaxEntries(5)
            .build();

    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options));

    assertTrue(error.getMessage().contains(archive.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("more than 5 entries"), error.getMessage());
    assertTrue(error.getMessage().contains("-Dcnn.extractMaxEntries=5"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")), "nothing may be cached");
    assertEquals(
        100, CifarDataset.load(options.toBuilder().extractMaxEntries(8).build()).train().size());
  }

  @Test
  void aTruncatedArchiveIsReportedAsEndingEarly() throws IOException {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cut.tar.gz"));
    byte[] whole = Files.readAllBytes(archive);
    Files.write(archive, Arrays.copyOf(whole, whole.length / 2));
    DataOptions options =
        DataOptions.builder().dataset(archive.toString()).cacheDir(temp.resolve("cache")).build();

    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options));

    String message = error.getMessage();
    assertTrue(message.contains(archive.toString()), message);
    assertTrue(message.contains("ends early (truncated"), message);
    assertFalse(message.contains("null"), message);
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
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
