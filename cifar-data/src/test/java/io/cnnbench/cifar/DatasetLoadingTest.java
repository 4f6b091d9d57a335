package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoadingTest {

  @TempDir Path temp;

  private DataOptions.Builder options(String dataset) {
    return DataOptions.builder().dataset(dataset).cacheDir(temp.resolve("cache"));
  }

  private static void assertFullTestData(CifarDataset data) {
    assertEquals(5 * TestData.TRAIN_PER_FILE, data.train().size());
    assertEquals(TestData.TEST_RECORDS, data.test().size());
    assertSame(data.test(), data.validation());
    assertTrue(data.validationIsTest());
    assertEquals(TestData.CLASS_NAMES, data.classNames());
    // Training images are data_batch_1..5 in file order.
    Map<String, byte[]> files = TestData.files();
    byte[] third = files.get("data_batch_3.bin");
    int record = 4;
    int image = 2 * TestData.TRAIN_PER_FILE + record;
    assertEquals(third[record * CifarBinaryFormat.RECORD_BYTES], data.train().label(image));
    assertArrayEquals(
        Arrays.copyOfRange(
            third,
            record * CifarBinaryFormat.RECORD_BYTES + 1,
            (record + 1) * CifarBinaryFormat.RECORD_BYTES),
        Arrays.copyOfRange(
            data.train().pixels(),
            image * CifarBinaryFormat.IMAGE_BYTES,
            (image + 1) * CifarBinaryFormat.IMAGE_BYTES));
  }

  @Test
  void readsAnExtractedDirectoryOrItsParent() throws IOException {
    Path parent = temp.resolve("extracted");
    Path batches = parent.resolve(CifarBinaryFormat.BATCHES_DIRECTORY);
    TestData.writeDirectory(batches, TestData.files());

    CifarDataset fromParent = CifarDataset.load(options(parent.toString()).build());
    CifarDataset fromBatches = CifarDataset.load(options(batches.toString()).build());

    assertFullTestData(fromParent);
    assertFullTestData(fromBatches);
    assertTrue(fromParent.source().contains(batches.toString()), fromParent.source());
    assertFalse(Files.exists(temp.resolve("cache")), "a directory needs no cache");
  }

  @Test
  void extractsAnArchiveOnceAndReusesTheExtraction() throws Exception {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cifar-10-binary.tar.gz"));
    String sha256 = "sha256:" + hex("SHA-256", Files.readAllBytes(archive));

    CifarDataset first = CifarDataset.load(options(archive.toString()).checksum(sha256).build());
    assertFullTestData(first);
    assertTrue(first.source().contains("verified"), first.source());
    Path extracted = temp.resolve("cache/cifar10/extracted");
    List<String> cached = TestData.filesBelow(extracted);
    assertEquals(9, cached.size(), cached.toString()); // 6 batches, meta, SOURCE.txt, MANIFEST.txt

    CifarDataset second = CifarDataset.load(options(archive.toString()).checksum(sha256).build());
    assertFullTestData(second);
    assertTrue(second.source().contains("cached extraction"), second.source());
    assertEquals(cached, TestData.filesBelow(extracted));
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/tmp")));
  }

  /** The one folder below {@code cache/cifar10/extracted}, after one archive was loaded. */
  private Path onlyExtraction() throws IOException {
    try (Stream<Path> dirs = Files.list(temp.resolve("cache/cifar10/extracted"))) {
      List<Path> all = dirs.collect(Collectors.toList());
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  @Test
  void aCachedBatchFileCutToWholeRecordsIsExtractedAgain() throws IOException {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cifar-10-binary.tar.gz"));
    CifarDataset.load(options(archive.toString()).build());
    Path second = onlyExtraction().resolve("cifar-10-batches-bin/data_batch_2.bin");
    byte[] whole = Files.readAllBytes(second);
    // Still a whole number of records, so the format check alone would accept it.
    Files.write(second, Arrays.copyOf(whole, 5 * CifarBinaryFormat.RECORD_BYTES));

    CifarDataset again = CifarDataset.load(options(archive.toString()).build());

    assertFullTestData(again);
    assertFalse(again.source().contains("cached extraction"), again.source());
    assertArrayEquals(whole, Files.readAllBytes(second));
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache/cifar10/tmp")));
  }

  @Test
  void aChangedLabelInTheCacheIsExtractedAgain() throws IOException {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cifar-10-binary.tar.gz"));
    CifarDataset.load(options(archive.toString()).build());
    Path third = onlyExtraction().resolve("cifar-10-batches-bin/data_batch_3.bin");
    byte[] content = Files.readAllBytes(third);
    // Record 4's label, checked by assertFullTestData, becomes another valid label.
    int label = 4 * CifarBinaryFormat.RECORD_BYTES;
    content[label] = (byte) ((content[label] + 1) % 10);
    Files.write(third, content);

    CifarDataset again = CifarDataset.load(options(archive.toString()).build());

    assertFullTestData(again);
    assertFalse(again.source().contains("cached extraction"), again.source());
  }

  @Test
  void aCacheWithoutAManifestIsExtractedAgainAndGetsOne() throws IOException {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cifar-10-binary.tar.gz"));
    CifarDataset.load(options(archive.toString()).build());
    Path manifest = onlyExtraction().resolve("MANIFEST.txt");
    // As an older version left it.
    Files.delete(manifest);

    CifarDataset again = CifarDataset.load(options(archive.toString()).build());
    CifarDataset third = CifarDataset.load(options(archive.toString()).build());

    assertFullTestData(again);
    assertFalse(again.source().contains("cached extraction"), again.source());
    assertTrue(Files.isRegularFile(manifest), "extracting again writes the manifest");
    assertTrue(third.source().contains("cached extraction"), third.source());
  }

  @Test
  void acceptsAnMd5ChecksumAndAFileUrl() throws Exception {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/copy.tgz"));
    String md5 = "md5:" + hex("MD5", Files.readAllBytes(archive)).toUpperCase();

    CifarDataset data =
        CifarDataset.load(options(archive.toUri().toString()).checksum(md5).build());

    assertFullTestData(data);
  }

  @Test
  void wrongChecksumFailsAndCachesNothing() throws IOException {
    Path archive = TestData.writeOfficialArchive(temp.resolve("in/cifar-10-binary.tar.gz"));
    String wrong = "sha256:" + "0".repeat(64);

    CifarDataException error =
        assertThrows(
            CifarDataException.class,
            () -> CifarDataset.load(options(archive.toString()).checksum(wrong).build()));

    assertTrue(error.getMessage().contains("Checksum mismatch"), error.getMessage());
    assertTrue(error.getMessage().contains(archive.toRealPath().toString()), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void truncatedBatchFileIsNamedWithItsSize() throws IOException {
    Map<String, byte[]> files = TestData.files();
    byte[] third = files.get("data_batch_3.bin");
    files.put("data_batch_3.bin", Arrays.copyOf(third, third.length - 100));
    Path dir = temp.resolve("truncated");
    TestData.writeDirectory(dir, files);

    CifarDataException error =
        assertThrows(
            CifarDataException.class, () -> CifarDataset.load(options(dir.toString()).build()));

    assertTrue(error.getMessage().contains("data_batch_3.bin"), error.getMessage());
    assertTrue(error.getMessage().contains(String.valueOf(third.length - 100)), error.getMessage());
  }

  @Test
  void emptyBatchFileIsRefusedWithItsName() throws IOException {
    Map<String, byte[]> files = TestData.files();
    files.put("data_batch_4.bin", new byte[0]);
    Path dir = temp.resolve("empty");
    TestData.writeDirectory(dir, files);

    CifarDataException error =
        assertThrows(
            CifarDataException.class, () -> CifarDataset.load(options(dir.toString()).build()));

    assertTrue(error.getMessage().contains("data_batch_4.bin has 0 bytes"), error.getMessage());
    assertTrue(error.getMessage().contains("empty"), error.getMessage());
  }

  @Test
  void emptyBatchFileIsRefusedByParseBatch() {
    CifarDataException error =
        assertThrows(
            CifarDataException.class, () -> CifarBinaryFormat.parseBatch("x.bin", new byte[0]));

    assertTrue(error.getMessage().contains("x.bin has 0 bytes"), error.getMessage());
  }

  @Test
  void labelTenIsNamedWithFileAndRecord() throws IOException {
    Map<String, byte[]> files = TestData.files();
    files.get(CifarBinaryFormat.TEST_FILE)[7 * CifarBinaryFormat.RECORD_BYTES] = 10;
    Path dir = temp.resolve("badlabel");
    TestData.writeDirectory(dir, files);

    CifarDataException error =
        assertThrows(
            CifarDataException.class, () -> CifarDataset.load(options(dir.toString()).build()));

    assertTrue(
        error.getMessage().contains("test_batch.bin record 7 has label 10"), error.getMessage());
  }

  @Test
  void invalidArchiveContentIsNotCached() throws IOException {
    Map<String, byte[]> files = TestData.files();
    files.get("data_batch_2.bin")[0] = (byte) 200;
    Path archive =
        TestData.writeArchive(temp.resolve("in/bad.tar.gz"), TestData.officialEntries(files));

    CifarDataException error =
        assertThrows(
            CifarDataException.class, () -> CifarDataset.load(options(archive.toString()).build()));

    assertTrue(
        error.getMessage().contains("data_batch_2.bin record 0 has label 200"), error.getMessage());
    assertEquals(List.of(), TestData.filesBelow(temp.resolve("cache")));
  }

  @Test
  void missingBatchFileListsWhatWasFound() throws IOException {
    Map<String, byte[]> files = TestData.files();
    files.remove("data_batch_4.bin");
    Path dir = temp.resolve("incomplete");
    TestData.writeDirectory(dir, files);

    CifarDataException error =
        assertThrows(
            CifarDataException.class, () -> CifarDataset.load(options(dir.toString()).build()));

    assertTrue(error.getMessage().contains("missing data_batch_4.bin"), error.getMessage());
    assertTrue(
        error.getMessage().contains("data_batch_5.bin, test_batch.bin]"), error.getMessage());
  }

  @Test
  void unknownPathSaysWhatIsAccepted() {
    String missing = temp.resolve("nowhere.tar.gz").toString();

    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options(missing).build()));

    assertTrue(error.getMessage().contains("no such file or directory"), error.getMessage());
    assertTrue(error.getMessage().contains(DataOptions.SAMPLE), error.getMessage());
  }

  @Test
  void embeddedSampleIsBalancedAndComplete() {
    CifarDataset sample = CifarDataset.load(options(DataOptions.SAMPLE).build());

    assertEquals(2000, sample.train().size());
    assertEquals(500, sample.test().size());
    int[] twoHundred = new int[10];
    Arrays.fill(twoHundred, 200);
    int[] fifty = new int[10];
    Arrays.fill(fifty, 50);
    assertArrayEquals(twoHundred, sample.train().classCounts());
    assertArrayEquals(fifty, sample.test().classCounts());
    assertEquals(CifarBinaryFormat.STANDARD_CLASS_NAMES, sample.classNames());
    assertTrue(sample.source().contains("embedded"), sample.source());
    assertFalse(Files.exists(temp.resolve("cache")), "the sample needs no cache");
  }

  @Test
  void limitsKeepClassBalanceAndFileOrder() {
    CifarDataset limited =
        CifarDataset.load(options(DataOptions.SAMPLE).trainLimit(105).testLimit(20).build());

    assertEquals(105, limited.train().size());
    assertEquals(20, limited.test().size());
    assertArrayEquals(
        new int[] {11, 11, 11, 11, 11, 10, 10, 10, 10, 10}, limited.train().classCounts());
    assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, limited.test().classCounts());
    // The first image of the limited set is the first image of the file.
    CifarDataset full = CifarDataset.load(options(DataOptions.SAMPLE).build());
    assertEquals(full.train().label(0), limited.train().label(0));
    assertArrayEquals(
        Arrays.copyOf(full.train().pixels(), 3072), Arrays.copyOf(limited.train().pixels(), 3072));
  }

  @Test
  void validationSplitIsStratifiedSeededAndSizedFromTheLimit() {
    DataOptions split =
        options(DataOptions.SAMPLE).trainLimit(1000).validationSplit(0.1).seed(7).build();

    CifarDataset first = CifarDataset.load(split);
    CifarDataset again = CifarDataset.load(split);
    CifarDataset otherSeed = CifarDataset.load(split.toBuilder().seed(8).build());

    assertEquals(900, first.train().size());
    assertEquals(100, first.validation().size());
    assertEquals(500, first.test().size());
    assertFalse(first.validationIsTest());
    int[] ten = new int[10];
    Arrays.fill(ten, 10);
    assertArrayEquals(ten, first.validation().classCounts());
    assertArrayEquals(first.validation().pixels(), again.validation().pixels());
    assertFalse(Arrays.equals(first.validation().pixels(), otherSeed.validation().pixels()));
  }

  @Test
  void splitThatLeavesNoTrainingImagesIsRefused() {
    DataOptions options = options(DataOptions.SAMPLE).trainLimit(1).validationSplit(0.5).build();

    CifarDataException error =
        assertThrows(CifarDataException.class, () -> CifarDataset.load(options));

    assertTrue(
        error.getMessage().contains(DataOptions.PROPERTY_VALIDATION_SPLIT), error.getMessage());
  }

  private static String hex(String algorithm, byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
  }
}
