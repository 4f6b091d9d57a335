package io.cnnbench.cifar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The size and SHA-256 of every file of an extraction, written into it before it is renamed into
 * the cache and checked each time it is reused. A batch file cut to a whole number of records, or
 * with a label changed, is still valid CIFAR-10, so only this tells it from what was extracted.
 *
 * <p>One line per file, sorted by path: {@code SIZE SHA256 PATH}, the path relative with {@code /}
 * and {@code %}, CR and LF written as {@code %25}, {@code %0D}, {@code %0A}.
 */
final class ExtractionManifest {

  static final String FILE_NAME = "MANIFEST.txt";

  private static final String HEADER =
      "# size, SHA-256 and path of every file of this extraction, checked before it is reused\n";

  private ExtractionManifest() {}

  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE_NAME));
  }

  /**
   * Lists every regular file below {@code dir}, forcing each to disk on the way, writes the
   * manifest, and forces it and every folder to disk: the caller renames {@code dir} into the cache
   * next, and that rename must not reach the disk before the files do.
   */
  static void write(Path dir) throws IOException {
    StringBuilder manifest = new StringBuilder(HEADER);
    for (Path file : regularFiles(dir)) {
      manifest
          .append(Files.size(file))
          .append(' ')
          .append(sha256(file))
          .append(' ')
          .append(escape(relativeName(dir, file)))
          .append('\n');
      CifarCache.forceToDisk(file);
    }
    Path written = dir.resolve(FILE_NAME);
    Files.writeString(written, manifest, StandardCharsets.UTF_8);
    CifarCache.forceToDisk(written);
    List<Path> folders;
    try (Stream<Path> paths = Files.walk(dir)) {
      folders = paths.filter(Files::isDirectory).collect(Collectors.toList());
    }
    for (Path folder : folders) {
      CifarCache.forceToDisk(folder);
    }
  }

  /**
   * What differs between {@code dir} and its manifest (a file missing, of another size, or with
   * other content), or null if nothing does. Sizes are compared first, so a truncated file is found
   * without reading the others.
   */
  static String mismatch(Path dir) throws IOException {
    List<String[]> entries = new ArrayList<>();
    List<String> lines = Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(" ", 3);
      if (fields.length != 3 || !fields[0].matches("[0-9]{1,18}") || fields[1].length() != 64) {
        return FILE_NAME + " line " + (i + 1) + " is not 'SIZE SHA256 PATH'";
      }
      entries.add(fields);
    }
    for (String[] entry : entries) {
      Path file = dir.resolve(unescape(entry[2])).normalize();
      if (!file.startsWith(dir.normalize())) {
        return FILE_NAME + " names " + unescape(entry[2]) + ", outside the extraction";
      }
      if (!Files.isRegularFile(file)) {
        return unescape(entry[2]) + " is missing";
      }
      long size = Files.size(file);
      if (size != Long.parseLong(entry[0])) {
        return unescape(entry[2]) + " has " + size + " bytes, " + entry[0] + " when extracted";
      }
    }
    for (String[] entry : entries) {
      if (!sha256(dir.resolve(unescape(entry[2]))).equals(entry[1])) {
        return unescape(entry[2]) + " differs from what was extracted (another SHA-256)";
      }
    }
    return null;
  }

  private static List<Path> regularFiles(Path dir) throws IOException {
    Path manifest = dir.resolve(FILE_NAME);
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(p -> !p.equals(manifest))
          .sorted(Comparator.comparing(p -> relativeName(dir, p)))
          .collect(Collectors.toList());
    }
  }

  private static String relativeName(Path dir, Path file) {
    return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = Checksum.newDigest("sha256");
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Keeps a line per file whatever the name holds. */
  private static String escape(String name) {
    return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  private static String unescape(String name) {
    return name.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
  }
}
