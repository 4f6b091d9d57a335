package io.cnnbench.cifar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small CIFAR-10 data in the official binary layout, made up for tests. */
final class TestData {

  /** Records per training batch file in the generated data: 5 files, 100 images in all. */
  static final int TRAIN_PER_FILE = 20;

  static final int TEST_RECORDS = 30;

  static final List<String> CLASS_NAMES =
      List.of("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private TestData() {}

  /** Records with labels {@code (first + i) % 10} and seeded random pixels. */
  static byte[] batch(int records, int first, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] content = new byte[records * CifarBinaryFormat.RECORD_BYTES];
    for (int i = 0; i < records; i++) {
      int offset = i * CifarBinaryFormat.RECORD_BYTES;
      content[offset] = (byte) ((first + i) % 10);
      for (int p = 1; p < CifarBinaryFormat.RECORD_BYTES; p++) {
        content[offset + p] = (byte) random.nextInt(256);
      }
    }
    return content;
  }

  /** File name to content for a complete small dataset, in the official names. */
  static Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < CifarBinaryFormat.TRAIN_FILES.size(); i++) {
      files.put(
          CifarBinaryFormat.TRAIN_FILES.get(i), batch(TRAIN_PER_FILE, i * TRAIN_PER_FILE, 100 + i));
    }
    files.put(CifarBinaryFormat.TEST_FILE, batch(TEST_RECORDS, 0, 7));
    // Trailing blank lines as in the official file.
    files.put(
        CifarBinaryFormat.META_FILE,
        (String.join("\n", CLASS_NAMES) + "\n\n").getBytes(StandardCharsets.US_ASCII));
    return files;
  }

  static void writeDirectory(Path dir, Map<String, byte[]> files) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(dir.resolve(file.getKey()), file.getValue());
    }
  }

  /** One entry of a test archive, possibly a hostile one. */
  static final class Entry {
    final String name;
    final byte[] content;
    final byte linkType;
    final String linkTarget;

    private Entry(String name, byte[] content, byte linkType, String linkTarget) {
      this.name = name;
      this.content = content;
      this.linkType = linkType;
      this.linkTarget = linkTarget;
    }

    static Entry file(String name, byte[] content) {
      return new Entry(name, content, TarConstants.LF_NORMAL, null);
    }

    static Entry directory(String name) {
      return new Entry(name, null, TarConstants.LF_DIR, null);
    }

    static Entry symlink(String name, String target) {
      return new Entry(name, null, TarConstants.LF_SYMLINK, target);
    }

    static Entry hardLink(String name, String target) {
      return new Entry(name, null, TarConstants.LF_LINK, target);
    }

    /** An entry of any tar type without content, e.g. {@link TarConstants#LF_FIFO}. */
    static Entry special(String name, byte type) {
      return new Entry(name, null, type, null);
    }
  }

  /** Entries of the official archive layout: {@code cifar-10-batches-bin/...}. */
  static List<Entry> officialEntries(Map<String, byte[]> files) {
    List<Entry> entries = new ArrayList<>();
    entries.add(Entry.directory(CifarBinaryFormat.BATCHES_DIRECTORY + "/"));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      entries.add(
          Entry.file(CifarBinaryFormat.BATCHES_DIRECTORY + "/" + file.getKey(), file.getValue()));
    }
    return entries;
  }

  static byte[] tarGz(List<Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      putEntries(tar, entries);
    }
    return bytes.toByteArray();
  }

  private static void putEntries(TarArchiveOutputStream tar, List<Entry> entries)
      throws IOException {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (Entry entry : entries) {
      // preserveAbsolutePath = true: otherwise commons-compress strips a leading '/'.
      TarArchiveEntry tarEntry = new TarArchiveEntry(entry.name, entry.linkType, true);
      if (entry.linkTarget != null) {
        tarEntry.setLinkName(entry.linkTarget);
      }
      if (entry.content != null) {
        tarEntry.setSize(entry.content.length);
      }
      tar.putArchiveEntry(tarEntry);
      if (entry.content != null) {
        tar.write(entry.content);
      }
      tar.closeArchiveEntry();
    }
  }

  /**
   * The official layout preceded by a header entry of tar type {@code type} carrying {@code bytes}
   * bytes: a PAX extended header ({@link TarConstants#LF_PAX_EXTENDED_HEADER_LC}) whose one record
   * is a {@code comment} of that length, or a GNU long name ({@link
   * TarConstants#LF_GNUTYPE_LONGNAME}) of that many 'n's. The bytes are streamed, and being one
   * repeated byte they gzip to about a thousandth of their size.
   */
  static Path writeArchiveWithLargeHeader(Path file, byte type, long bytes) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream gzip = new GzipCompressorOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      TarArchiveEntry header = new TarArchiveEntry("././@LargeHeader", type);
      header.setSize(bytes);
      tar.putArchiveEntry(header);
      byte[] prefix = new byte[0];
      byte[] suffix = new byte[0];
      if (type == TarConstants.LF_PAX_EXTENDED_HEADER_LC) {
        // A PAX record is "LENGTH keyword=value\n", LENGTH counting the whole record: here all
        // of the entry.
        prefix = (bytes + " comment=").getBytes(StandardCharsets.US_ASCII);
        suffix = new byte[] {'\n'};
      }
      tar.write(prefix);
      byte[] filler = new byte[1 << 16];
      Arrays.fill(filler, (byte) (type == TarConstants.LF_PAX_EXTENDED_HEADER_LC ? 'a' : 'n'));
      for (long left = bytes - prefix.length - suffix.length; left > 0; left -= filler.length) {
        tar.write(filler, 0, (int) Math.min(left, filler.length));
      }
      tar.write(suffix);
      tar.closeArchiveEntry();
      putEntries(tar, officialEntries(files()));
    }
    return file;
  }

  static Path writeArchive(Path file, List<Entry> entries) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, tarGz(entries));
    return file;
  }

  static Path writeOfficialArchive(Path file) throws IOException {
    return writeArchive(file, officialEntries(files()));
  }

  /**
   * Every regular file below {@code dir}, relative, sorted; empty if dir is absent. The cache lock
   * file is left out: it holds no data, and deleting it on release would let two runs lock
   * different files of the same name.
   */
  static List<String> filesBelow(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(CifarCache.LOCK_FILE))
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .collect(java.util.stream.Collectors.toList());
    }
  }

  /** An image set whose pixel values are a known function of (image, channel, row, column). */
  static ImageSet patterned(int images) {
    byte[] pixels = new byte[images * CifarBinaryFormat.IMAGE_BYTES];
    byte[] labels = new byte[images];
    for (int i = 0; i < images; i++) {
      labels[i] = (byte) (i % 10);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            pixels[i * 3072 + c * 1024 + y * 32 + x] = (byte) patternValue(i, c, y, x);
          }
        }
      }
    }
    return new ImageSet(pixels, labels);
  }

  static int patternValue(int image, int channel, int row, int column) {
    return (image * 13 + channel * 71 + row * 31 + column * 5) & 0xff;
  }
}
