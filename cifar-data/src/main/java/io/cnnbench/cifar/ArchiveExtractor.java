package io.cnnbench.cifar;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a {@code .tar.gz} refusing every entry that could write outside the target folder or
 * make later reads leave it: absolute paths, {@code ..} segments, symbolic and hard links, and
 * device or FIFO entries.
 */
final class ArchiveExtractor {

  private ArchiveExtractor() {}

  /**
   * Extracts {@code archive} into {@code target}, an existing folder that the caller discards on
   * failure.
   *
   * @throws CifarDataException naming the archive and the offending entry
   */
  static void extractTarGz(Path archive, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        GzipCompressorInputStream gzip = new GzipCompressorInputStream(file);
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        String name = entry.getName();
        if (entry.isSymbolicLink()) {
          throw refused(archive, name, "is a symbolic link (to '" + entry.getLinkName() + "')");
        }
        if (entry.isLink()) {
          throw refused(archive, name, "is a hard link (to '" + entry.getLinkName() + "')");
        }
        if (!entry.isDirectory() && !entry.isFile()) {
          throw refused(archive, name, "is neither a file nor a directory (device or FIFO)");
        }
        Path destination = root.resolve(safeRelativePath(archive, name)).normalize();
        // Second line of defence: whatever the name looked like, stay below the root.
        if (!destination.startsWith(root)) {
          throw refused(archive, name, "resolves outside the extraction folder");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(destination);
        } else {
          Files.createDirectories(destination.getParent());
          Files.copy(tar, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new CifarDataException(
          "Could not extract "
              + archive
              + " as a .tar.gz archive: "
              + e.getMessage()
              + ". The file is damaged or not cifar-10-binary.tar.gz; nothing was cached.",
          e);
    }
  }

  /**
   * The entry name as a relative path, or an error if it is absolute or has a {@code ..} segment.
   * Empty and {@code .} segments (as in {@code ./cifar-10-batches-bin/}) are dropped.
   */
  private static String safeRelativePath(Path archive, String name) {
    if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
      throw refused(archive, name, "has an absolute path");
    }
    StringBuilder relative = new StringBuilder();
    for (String segment : name.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw refused(archive, name, "has a '..' path segment");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (relative.length() > 0) {
        relative.append('/');
      }
      relative.append(segment);
    }
    if (relative.length() == 0) {
      return ".";
    }
    return relative.toString();
  }

  private static CifarDataException refused(Path archive, String entryName, String reason) {
    return new CifarDataException(
        "Refusing to extract "
            + archive
            + ": entry '"
            + entryName
            + "' "
            + reason
            + ". A CIFAR-10 archive holds only plain files and folders; this one is damaged or"
            + " unsafe, and nothing was cached.");
  }
}
