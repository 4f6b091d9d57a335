package io.cnnbench.cifar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layout of the cache folder:
 *
 * <pre>
 * CACHE/cifar10/downloads/NAME-KEY.tar.gz   remote archives, moved in only once verified
 * CACHE/cifar10/extracted/NAME-KEY/          extracted archives, renamed in only once validated
 * CACHE/cifar10/tmp/                         downloads and extractions in progress; never read
 * </pre>
 *
 * <p>{@code KEY} is the first 16 hex digits of a SHA-256 over what identifies the archive (see
 * {@link #key}); {@code NAME} only helps people find their way.
 */
final class CifarCache {

  private static final Logger LOG = LoggerFactory.getLogger(CifarCache.class);

  /** Temporary entries older than this were left by a killed run and are removed. */
  private static final Duration STALE_TEMPORARY_AGE = Duration.ofDays(1);

  private final Path root;

  CifarCache(Path cacheDir) {
    this.root = cacheDir.toAbsolutePath().normalize().resolve("cifar10");
  }

  Path root() {
    return root;
  }

  Path downloadedArchive(String name, String key) {
    return root.resolve("downloads").resolve(name + "-" + key + ".tar.gz");
  }

  Path extractedDirectory(String name, String key) {
    return root.resolve("extracted").resolve(name + "-" + key);
  }

  /** A fresh, empty folder below {@code tmp/}, on the same file system as the final places. */
  Path newTemporaryDirectory(String prefix) throws IOException {
    return Files.createTempDirectory(temporaryRoot(), prefix);
  }

  /** A new, empty file below {@code tmp/}, on the same file system as the final places. */
  Path newTemporaryFile(String prefix) throws IOException {
    return Files.createTempFile(temporaryRoot(), prefix, ".part");
  }

  private Path temporaryRoot() throws IOException {
    Path temporaryRoot = root.resolve("tmp");
    Files.createDirectories(temporaryRoot);
    removeStaleTemporaries(temporaryRoot);
    return temporaryRoot;
  }

  private static void removeStaleTemporaries(Path temporaryRoot) {
    FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMPORARY_AGE));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(temporaryRoot)) {
      for (Path entry : entries) {
        if (Files.getLastModifiedTime(entry).compareTo(cutoff) < 0) {
          LOG.info("Removing {}, left behind by an interrupted run", entry);
          deleteRecursively(entry);
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not clean {}: {}", temporaryRoot, e.toString());
    }
  }

  /**
   * Cache key: the first 16 hex digits of SHA-256 over the given parts, each followed by a newline.
   */
  static String key(Object... parts) {
    MessageDigest digest = Checksum.newDigest("sha256");
    for (Object part : parts) {
      digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /** A file-name-safe form of an archive name without its {@code .tar.gz}/{@code .tgz}. */
  static String displayName(String fileName) {
    String name = fileName.replaceFirst("(?i)(\\.tar\\.gz|\\.tgz)$", "");
    name = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.isEmpty() || name.startsWith(".")) {
      name = "archive" + name;
    }
    return name.length() > 60 ? name.substring(0, 60) : name;
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException error)
              throws IOException {
            if (error != null) {
              throw error;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
