package io.cnnbench.cifar;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layout of the cache folder:
 *
 * <pre>
 * CACHE/cifar10/downloads/NAME-KEY.tar.gz   remote archives, moved in only once verified
 * CACHE/cifar10/extracted/NAME-KEY/          extracted archives, renamed in only once validated;
 *                                            MANIFEST.txt holds each file's size and SHA-256
 * CACHE/cifar10/tmp/                         downloads and extractions in progress; never read
 * CACHE/cifar10/cache.lock                   locked while a run downloads, extracts or reads
 * </pre>
 *
 * <p>{@code KEY} is the first 16 hex digits of a SHA-256 over what identifies the archive (see
 * {@link #key}); {@code NAME} only helps people find their way.
 */
final class CifarCache {

  private static final Logger LOG = LoggerFactory.getLogger(CifarCache.class);

  /** Temporary entries older than this were left by a killed run and are removed. */
  private static final Duration STALE_TEMPORARY_AGE = Duration.ofDays(1);

  /** Name of the lock file in {@link #root()}. */
  static final String LOCK_FILE = "cache.lock";

  /** How often a waiting run tries the lock again. */
  private static final Duration LOCK_POLL = Duration.ofMillis(100);

  /**
   * Threads of this JVM queue here before touching the lock file: a {@link FileLock} belongs to
   * the whole process, so it cannot keep two threads apart, and (POSIX) closing a second channel
   * on the file would silently drop the first channel's lock.
   */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

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

  /** Held while a run uses the cache; {@link #close()} releases it (from the same thread). */
  static final class Lock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock fileLock;
    private final ReentrantLock inProcess;

    private Lock(FileChannel channel, FileLock fileLock, ReentrantLock inProcess) {
      this.channel = channel;
      this.fileLock = fileLock;
      this.inProcess = inProcess;
    }

    @Override
    public void close() {
      try {
        fileLock.release();
        channel.close();
      } catch (IOException e) {
        // Closing the channel or ending the process releases the lock anyway.
        LOG.warn("Could not release the cache lock cleanly: {}", e.toString());
      } finally {
        inProcess.unlock();
      }
    }
  }

  /**
   * Locks the cache against other runs (other processes via a {@link FileLock} on {@value
   * #LOCK_FILE}, other threads of this one in memory), waiting up to {@code timeout}. The holder
   * writes its pid and host into the file, so a run that gives up can say who holds it.
   *
   * @throws CifarDataException naming the holder once {@code timeout} has passed
   * @throws IOException if the lock file cannot be created or written
   */
  Lock lock(Duration timeout) throws IOException {
    Files.createDirectories(root);
    Path file = root.resolve(LOCK_FILE);
    long deadline = System.nanoTime() + timeout.toNanos();
    ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
    try {
      if (!inProcess.tryLock()) {
        LOG.info(
            "Waiting up to {} for another thread of this process to finish with {}",
            DataOptions.seconds(timeout),
            root);
        if (!inProcess.tryLock(remaining(deadline), TimeUnit.NANOSECONDS)) {
          throw lockTimedOut(file, timeout, "another thread of this process (" + HOLDER + ")");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CifarDataException("Interrupted while waiting for the cache lock " + file, e);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      boolean waitingLogged = false;
      while (true) {
        FileLock fileLock;
        String holder;
        try {
          fileLock = channel.tryLock();
          holder = null;
        } catch (OverlappingFileLockException e) {
          // Someone in this JVM locked the file past IN_PROCESS (another class loader, say).
          fileLock = null;
          holder = "this process (" + HOLDER + ")";
        }
        if (fileLock != null) {
          byte[] me = (HOLDER + " since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
          channel.truncate(0);
          channel.write(ByteBuffer.wrap(me), 0);
          return new Lock(channel, fileLock, inProcess);
        }
        if (holder == null) {
          holder = readHolder(channel);
        }
        long remaining = remaining(deadline);
        if (remaining <= 0) {
          throw lockTimedOut(file, timeout, holder);
        }
        if (!waitingLogged) {
          LOG.info(
              "{} is in use by {}; waiting up to {} (-D{})",
              root,
              holder,
              DataOptions.seconds(timeout),
              DataOptions.PROPERTY_CACHE_LOCK_TIMEOUT);
          waitingLogged = true;
        }
        Thread.sleep(Math.min(remaining / 1_000_000 + 1, LOCK_POLL.toMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(channel);
      inProcess.unlock();
      throw new CifarDataException("Interrupted while waiting for the cache lock " + file, e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      inProcess.unlock();
      throw e;
    }
  }

  /** This process as the lock file records it. */
  private static final String HOLDER =
      "pid " + ProcessHandle.current().pid() + " on host " + hostName();

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      return fromEnvironment != null ? fromEnvironment : "(unknown)";
    }
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  /** What the holder wrote, read through our own channel (see {@link #IN_PROCESS}). */
  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(512);
    channel.read(buffer, 0);
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? "another process (it has not written its pid yet)" : text;
  }

  private CifarDataException lockTimedOut(Path file, Duration timeout, String holder) {
    return new CifarDataException(
        "The data cache "
            + root
            + " is in use by "
            + holder
            + " (lock file "
            + file
            + "); gave up after waiting "
            + DataOptions.seconds(timeout)
            + ". Another run is probably downloading or extracting CIFAR-10 there: let it finish"
            + " and run again, wait longer with -D"
            + DataOptions.PROPERTY_CACHE_LOCK_TIMEOUT
            + "=SECONDS, or give this run its own -D"
            + DataOptions.PROPERTY_CACHE
            + ". The lock ends with its process, so if that process is gone (only possible on"
            + " some network file systems) delete the lock file.");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("Could not close the lock file: {}", e.toString());
      }
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

  /**
   * Forces a file's or a folder's contents to disk, so that a rename publishing them cannot reach
   * the disk before they do (after a crash the cache would hold a complete-looking but empty or
   * partial file). Some systems (Windows) cannot open a folder for this; a folder's failure is
   * only logged, a file's is thrown.
   */
  static void forceToDisk(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (FileChannel folder = FileChannel.open(path, StandardOpenOption.READ)) {
        folder.force(true);
      } catch (IOException e) {
        LOG.debug("Could not force the folder {} to disk: {}", path, e.toString());
      }
      return;
    }
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.WRITE)) {
      file.force(true);
    }
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
