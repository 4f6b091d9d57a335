package io.cnnbench.cifar;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a {@code .tar.gz} refusing every entry that could write outside the target folder or
 * make later reads leave it: absolute paths, {@code ..} segments, symbolic and hard links, and
 * every entry type other than a regular file or a folder (FIFOs, devices, ...). It also stops once
 * the archive expands to more bytes or entries than the caps allow, so a decompression bomb cannot
 * fill the disk, and it bounds the tar headers read before each entry, so one cannot fill the
 * memory either.
 *
 * <p>Failures come in three kinds, because the caller treats the archive differently: {@link
 * DamagedArchiveException} (the archive itself is corrupt or unsafe: a download may be deleted),
 * {@link WriteFailedException} (the archive is fine but the cache could not be written, e.g. the
 * disk is full: keep the download), and a plain {@link CifarDataException} for an exceeded cap (the
 * archive may be what the user wants; they can raise the cap).
 */
final class ArchiveExtractor {

  /** Opens an extracted file for writing; tests substitute one that fails like a full disk. */
  @FunctionalInterface
  interface FileOutput {
    OutputStream open(Path file) throws IOException;
  }

  static final FileOutput FILES =
      file ->
          Files.newOutputStream(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);

  /** The archive is corrupt or unsafe; extracting it again cannot succeed. */
  static final class DamagedArchiveException extends CifarDataException {
    private static final long serialVersionUID = 1L;

    DamagedArchiveException(String message) {
      super(message);
    }

    DamagedArchiveException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Writing below the target failed (no space left, quota, permissions): the archive is not to
   * blame. Checked, so the caller cannot forget to say where the cache is.
   */
  static final class WriteFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    WriteFailedException(IOException cause) {
      super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
  }

  /**
   * Most bytes of the decompressed tar stream read while looking for the next entry: its header
   * blocks, PAX extended headers, GNU long names, and the padding of the entry before.
   * commons-compress reads a PAX header or long name whole into memory, and the byte cap counts only
   * files, so without this bound a few hundred KB of gzip could make it allocate gigabytes. A
   * CIFAR-10 entry needs about 1 KB; 64 KiB leaves room for 4 KiB paths and other PAX records.
   */
  static final int MAX_HEADER_BYTES = 64 << 10;

  /**
   * Most bytes a {@code .tar.gz} can have and still extract within the caps: its files, {@link
   * #MAX_HEADER_BYTES} per entry and one more for the end, and gzip's framing, which adds well
   * under a thousandth to data it cannot compress. A download is stopped beyond it.
   */
  static long maxArchiveBytes(long maxBytes, int maxEntries) {
    long headers = (maxEntries + 1L) * MAX_HEADER_BYTES;
    long sum = maxBytes + maxBytes / 1000 + headers;
    // Saturates rather than overflowing for a cap near Long.MAX_VALUE.
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /** Longest entry name taken, in UTF-8 bytes: the longest file name most file systems allow. */
  static final int MAX_NAME_BYTES = 255;

  private ArchiveExtractor() {}

  /**
   * Extracts {@code archive} into {@code target}, an existing folder that the caller discards on
   * failure.
   *
   * @param maxBytes most bytes all files together may have
   * @param maxEntries most entries (files and folders) the archive may hold
   * @throws CifarDataException naming the archive and the offending entry or the exceeded cap
   * @throws WriteFailedException if a folder or file could not be written below {@code target}
   */
  static void extractTarGz(
      Path archive, Path target, long maxBytes, int maxEntries, FileOutput output)
      throws WriteFailedException {
    Path root = target.toAbsolutePath().normalize();
    long extractedBytes = 0;
    int entries = 0;
    byte[] buffer = new byte[1 << 16];
    String previous = null;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        GzipCompressorInputStream gzip = new GzipCompressorInputStream(file);
        BoundedStream bounded = new BoundedStream(gzip);
        TarArchiveInputStream tar = new TarArchiveInputStream(bounded)) {
      for (TarArchiveEntry entry = nextEntry(tar, bounded, archive, previous);
          entry != null;
          entry = nextEntry(tar, bounded, archive, previous)) {
        String name = entry.getName();
        previous = name;
        if (++entries > maxEntries) {
          throw capExceeded(
              archive,
              "holds more than " + maxEntries + " entries (at '" + name + "')",
              DataOptions.PROPERTY_EXTRACT_MAX_ENTRIES,
              maxEntries);
        }
        boolean directory = checkType(archive, entry);
        Path destination = root.resolve(safeRelativePath(archive, name)).normalize();
        // Second line of defence: whatever the name looked like, stay below the root.
        if (!destination.startsWith(root)) {
          throw refused(archive, name, "resolves outside the extraction folder");
        }
        refuseFileAncestors(archive, name, root, directory ? destination : destination.getParent());
        if (directory) {
          createDirectories(destination);
          continue;
        }
        if (Files.isDirectory(destination)) {
          throw refused(archive, name, "is a file with the name of a folder extracted earlier");
        }
        // The declared size lets an oversized entry fail before anything is written; the
        // bytes actually written are counted too, in case the header understates them.
        if (entry.getSize() > maxBytes - extractedBytes) {
          throw tooLarge(archive, name, maxBytes);
        }
        createDirectories(destination.getParent());
        // The whole stream stays bounded: no more than the cap's remainder is read as file data.
        bounded.allow(maxBytes - extractedBytes);
        OutputStream out = open(output, destination);
        try {
          while (true) {
            int read;
            try {
              read = tar.read(buffer);
            } catch (BoundedStream.LimitReachedException e) {
              throw tooLarge(archive, name, maxBytes);
            }
            if (read < 0) {
              break;
            }
            if (read > maxBytes - extractedBytes) {
              throw tooLarge(archive, name, maxBytes);
            }
            write(out, buffer, read);
            extractedBytes += read;
          }
        } finally {
          close(out);
        }
      }
    } catch (WriteFailedException | CifarDataException e) {
      throw e;
    } catch (EOFException e) {
      // gzip's EOFException has no message; "null" would tell the user nothing.
      throw new DamagedArchiveException(
          "Could not extract "
              + archive
              + ": the file ends early (truncated: an incomplete copy or download). Copy or"
              + " download it again; nothing was cached.",
          e);
    } catch (IOException e) {
      throw new DamagedArchiveException(
          "Could not extract "
              + archive
              + " as a .tar.gz archive: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ". The file is damaged or not cifar-10-binary.tar.gz; nothing was cached.",
          e);
    }
  }

  /**
   * The next entry, reading at most {@link #MAX_HEADER_BYTES} of headers for it; more is refused as
   * a damaged archive before commons-compress can hold it in memory.
   */
  private static TarArchiveEntry nextEntry(
      TarArchiveInputStream tar, BoundedStream bounded, Path archive, String previous)
      throws IOException {
    bounded.allow(MAX_HEADER_BYTES);
    try {
      return tar.getNextEntry();
    } catch (BoundedStream.LimitReachedException e) {
      throw new DamagedArchiveException(
          "Stopped extracting "
              + archive
              + ": it has tar headers of more than "
              + MAX_HEADER_BYTES
              + " bytes (PAX extended headers or GNU long names) "
              + (previous == null ? "before its first entry" : "after entry '" + previous + "'")
              + ". A CIFAR-10 archive's headers take about 1 KB per entry, so this one is"
              + " damaged or unsafe (it could exhaust the memory); nothing was cached.",
          e);
    }
  }

  /**
   * Sits between gzip and tar and refuses to deliver more than {@link #allow} last granted. The
   * extractor grants {@link #MAX_HEADER_BYTES} before each entry and the rest of the byte cap
   * before a file's data, so the decompressed stream as a whole never exceeds the cap plus that
   * allowance per entry.
   */
  private static final class BoundedStream extends FilterInputStream {

    /** Thrown instead of reading past the allowance; an IOException, to pass commons-compress. */
    static final class LimitReachedException extends IOException {
      private static final long serialVersionUID = 1L;

      LimitReachedException() {
        super("read limit reached");
      }
    }

    private long remaining;

    BoundedStream(InputStream in) {
      super(in);
    }

    /** From now on, at most {@code bytes} more may be read or skipped. */
    void allow(long bytes) {
      remaining = bytes;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        throw new LimitReachedException();
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining <= 0) {
        throw new LimitReachedException();
      }
      int read = super.read(b, off, (int) Math.min(len, remaining));
      if (read > 0) {
        remaining -= read;
      }
      return read;
    }

    @Override
    public long skip(long n) throws IOException {
      if (n <= 0) {
        return 0;
      }
      if (remaining <= 0) {
        throw new LimitReachedException();
      }
      long skipped = super.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /**
   * True for a folder, false for a regular file; refuses everything else by its tar type flag.
   * commons-compress's {@code isFile()} is true for FIFOs and devices (any type that is not a
   * folder), so it cannot serve as the test.
   */
  private static boolean checkType(Path archive, TarArchiveEntry entry) {
    String name = entry.getName();
    if (entry.isSymbolicLink()) {
      throw refused(archive, name, "is a symbolic link (to '" + entry.getLinkName() + "')");
    }
    if (entry.isLink()) {
      throw refused(archive, name, "is a hard link (to '" + entry.getLinkName() + "')");
    }
    if (entry.isFIFO()) {
      throw refused(archive, name, "is a FIFO (named pipe)");
    }
    if (entry.isCharacterDevice()) {
      throw refused(archive, name, "is a character device");
    }
    if (entry.isBlockDevice()) {
      throw refused(archive, name, "is a block device");
    }
    byte type = entry.getLinkFlag();
    if (type == TarConstants.LF_DIR) {
      return true;
    }
    if (type == TarConstants.LF_NORMAL
        || type == TarConstants.LF_OLDNORM
        || type == TarConstants.LF_CONTIG) {
      // Old tars mark folders as regular entries whose name ends with '/'.
      return name.endsWith("/");
    }
    throw refused(
        archive,
        name,
        "has tar entry type '"
            + (type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : "0x" + (type & 0xff))
            + "', neither a regular file nor a folder");
  }

  /**
   * Refuses an entry whose folder (or a folder above it, below the root) was extracted as a file:
   * creating the folder would fail as if the disk could not be written, and the archive would be
   * kept.
   */
  private static void refuseFileAncestors(Path archive, String name, Path root, Path dir) {
    for (Path p = dir; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(archive, name, "is or lies in a folder with the name of a file extracted earlier");
      }
    }
  }

  private static void createDirectories(Path dir) throws WriteFailedException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new WriteFailedException(e);
    }
  }

  private static OutputStream open(FileOutput output, Path file) throws WriteFailedException {
    try {
      return output.open(file);
    } catch (IOException e) {
      throw new WriteFailedException(e);
    }
  }

  private static void write(OutputStream out, byte[] buffer, int length)
      throws WriteFailedException {
    try {
      out.write(buffer, 0, length);
    } catch (IOException e) {
      throw new WriteFailedException(e);
    }
  }

  /** Closing flushes, so it can be the write that finds the disk full. */
  private static void close(OutputStream out) throws WriteFailedException {
    try {
      out.close();
    } catch (IOException e) {
      throw new WriteFailedException(e);
    }
  }

  private static CifarDataException tooLarge(Path archive, String name, long maxBytes) {
    return capExceeded(
        archive,
        "expands to more than " + maxBytes + " bytes (at '" + name + "')",
        DataOptions.PROPERTY_EXTRACT_MAX_BYTES,
        maxBytes);
  }

  private static CifarDataException capExceeded(
      Path archive, String what, String property, long cap) {
    return new CifarDataException(
        "Stopped extracting "
            + archive
            + ": it "
            + what
            + ", the cap -D"
            + property
            + "="
            + cap
            + ". The official CIFAR-10 archive extracts to about 178 MB in 8 entries, so this is"
            + " not it (or it is a decompression bomb); nothing was cached. If the archive is"
            + " really meant, raise -D"
            + property
            + ".");
  }

  /**
   * The entry name as a relative path, or an error if it is absolute or has a {@code ..} segment.
   * Empty and {@code .} segments (as in {@code ./cifar-10-batches-bin/}) are dropped.
   */
  private static String safeRelativePath(Path archive, String name) {
    if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
      throw refused(archive, name, "has an absolute path");
    }
    if (name.indexOf('\0') >= 0) {
      // No file system takes it; Path.resolve would throw an unchecked InvalidPathException.
      throw refused(archive, name.replace('\0', '?'), "has a NUL character in its name");
    }
    StringBuilder relative = new StringBuilder();
    for (String segment : name.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw refused(archive, name, "has a '..' path segment");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      int length = segment.getBytes(StandardCharsets.UTF_8).length;
      if (length > MAX_NAME_BYTES) {
        // Refused here: the file system would refuse it later, and that would read as a full disk. Per name,
        // not per path: a deep path of short names is fine.
        throw refused(
            archive,
            name.length() > 100 ? name.substring(0, 100) + "..." : name,
            "has a name of "
                + length
                + " bytes; names over "
                + MAX_NAME_BYTES
                + " bytes are refused (most file systems take at most 255 bytes per file name;"
                + " CIFAR-10's names have under 40)");
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
    return new DamagedArchiveException(
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
