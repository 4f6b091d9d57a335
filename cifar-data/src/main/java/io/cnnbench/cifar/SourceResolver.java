package io.cnnbench.cifar;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns {@link DataOptions#dataset()} into the contents of the six batch files. */
final class SourceResolver {

  private static final Logger LOG = LoggerFactory.getLogger(SourceResolver.class);

  static final URI OFFICIAL_URL =
      URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
  static final String OFFICIAL_MD5 = "md5:c32a1d4ab5d03f1284b67883e8d87530";

  /** What was read and a sentence saying where it came from. */
  static final class Resolved {
    final CifarFiles.Contents contents;
    final String description;

    Resolved(CifarFiles.Contents contents, String description) {
      this.contents = contents;
      this.description = description;
    }
  }

  private final DataOptions options;
  private final URI officialUrl;
  private final Checksum userChecksum;
  private final CifarCache cache;
  private final ArchiveExtractor.FileOutput extractionOutput;

  /**
   * @param officialUrl where {@value DataOptions#OFFICIAL} downloads from; tests use loopback
   */
  SourceResolver(DataOptions options, URI officialUrl) {
    this(options, officialUrl, ArchiveExtractor.FILES);
  }

  /**
   * @param extractionOutput opens extracted files; tests pass one that fails like a full disk
   */
  SourceResolver(DataOptions options, URI officialUrl, ArchiveExtractor.FileOutput extractionOutput) {
    this.options = options;
    this.extractionOutput = extractionOutput;
    this.officialUrl = officialUrl;
    this.userChecksum = options.checksum().map(Checksum::parse).orElse(null);
    this.cache = new CifarCache(options.cacheDir());
  }

  Resolved resolve() {
    String dataset = options.dataset();
    try {
      if (dataset.equals(DataOptions.SAMPLE)) {
        if (userChecksum != null) {
          LOG.warn("Ignoring the checksum: the embedded sample is part of this module's jar");
        }
        return new Resolved(
            CifarFiles.readSample(),
            "embedded CIFAR-10 sample (200 training and 50 test images per class)");
      }
      if (dataset.equals(DataOptions.OFFICIAL)) {
        Checksum checksum = userChecksum != null ? userChecksum : Checksum.parse(OFFICIAL_MD5);
        return fromRemote(officialUrl, checksum);
      }
      if (DataOptions.isRemote(dataset)) {
        return fromRemote(DataOptions.remoteUrl(dataset), userChecksum);
      }
      if (dataset.toLowerCase(Locale.ROOT).startsWith("file:")) {
        return fromPath(parseFileUrl(dataset));
      }
      return fromPath(parsePath(dataset));
    } catch (IOException e) {
      throw new CifarDataException("Could not read CIFAR-10 from " + dataset + ": " + e, e);
    }
  }

  private static URI parseUri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new CifarDataException(
          "-D"
              + DataOptions.PROPERTY_DATASET
              + "="
              + text
              + " is not a valid URL: "
              + e.getMessage(),
          e);
    }
  }

  private static Path parseFileUrl(String text) {
    try {
      return Path.of(parseUri(text));
    } catch (IllegalArgumentException e) {
      throw new CifarDataException(
          "-D"
              + DataOptions.PROPERTY_DATASET
              + "="
              + text
              + " is not a usable file: URL ("
              + e.getMessage()
              + "); write file:///absolute/path or give the plain path",
          e);
    }
  }

  private static Path parsePath(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new CifarDataException(
          "-D"
              + DataOptions.PROPERTY_DATASET
              + "="
              + text
              + " is not a valid path: "
              + e.getMessage(),
          e);
    }
  }

  private Resolved fromPath(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      if (userChecksum != null) {
        LOG.warn(
            "Ignoring the checksum for {}: checksums apply to archives, not directories", path);
      }
      Path batches = CifarFiles.locateBatchesDirectory(path);
      return new Resolved(CifarFiles.readDirectory(batches), "directory " + batches);
    }
    if (Files.isRegularFile(path)) {
      return fromLocalArchive(path);
    }
    throw new CifarDataException(
        "-D"
            + DataOptions.PROPERTY_DATASET
            + "="
            + options.dataset()
            + ": no such file or directory ("
            + path.toAbsolutePath()
            + "). Use "
            + DataOptions.OFFICIAL
            + " (download), "
            + DataOptions.SAMPLE
            + " (embedded sample), the path of cifar-10-binary.tar.gz or of its extracted"
            + " directory, or a file:/http:/https: URL.");
  }

  /**
   * Local archives are not copied; their extraction is keyed by real path, size, modification time
   * and checksum, so editing or replacing the file extracts it again.
   */
  private Resolved fromLocalArchive(Path archive) throws IOException {
    try (CifarCache.Lock lock = lockCache()) {
      return fromLocalArchiveLocked(archive);
    }
  }

  private Resolved fromLocalArchiveLocked(Path archive) throws IOException {
    Path real = archive.toRealPath();
    String key =
        CifarCache.key(
            "file",
            real,
            Files.size(real),
            Files.getLastModifiedTime(real).toMillis(),
            userChecksum == null ? "none" : userChecksum);
    String name = CifarCache.displayName(real.getFileName().toString());
    Path extracted = cache.extractedDirectory(name, key);
    if (Files.isDirectory(extracted) && isIntact(extracted, real.toString())) {
      return readCachedExtraction(extracted, "archive " + real);
    }
    String verification = "no checksum given";
    if (userChecksum != null) {
      LOG.info("Verifying {} against {}", real, userChecksum);
      userChecksum.verify(real, real.toString());
      verification = userChecksum + " verified";
    }
    return extractAndRead(real, extracted, "archive " + real + " (" + verification + ")");
  }

  /**
   * Remote archives are keyed by URL and expected checksum: the second run finds the extraction (or
   * at least the verified download) and never touches the network.
   */
  private Resolved fromRemote(URI url, Checksum checksum) throws IOException {
    try (CifarCache.Lock lock = lockCache()) {
      return fromRemoteLocked(url, checksum);
    }
  }

  /**
   * Held while the cache is downloaded into, extracted into or read, so two runs sharing a cache
   * neither download twice nor read a folder the other is replacing.
   */
  private CifarCache.Lock lockCache() {
    try {
      return cache.lock(options.cacheLockTimeout());
    } catch (IOException e) {
      throw cacheWriteFailed(e);
    }
  }

  private Resolved fromRemoteLocked(URI url, Checksum checksum) throws IOException {
    String key = CifarCache.key("url", url, checksum == null ? "none" : checksum);
    String path = url.getPath() == null ? "" : url.getPath();
    String name = CifarCache.displayName(path.substring(path.lastIndexOf('/') + 1));
    Path extracted = cache.extractedDirectory(name, key);
    Path archive = cache.downloadedArchive(name, key);
    // Without the download, a cached extraction that cannot be trusted is made again from the URL the
    // run was given, as on the first run: the download may be deleted once extracted (cifar-data's
    // README), and an extraction made before manifests existed must not strand an upgrade.
    if (Files.isDirectory(extracted)
        && isIntact(
            extracted, Files.isRegularFile(archive) ? archive.toString() : url + " (downloading it again)")) {
      return readCachedExtraction(extracted, url.toString());
    }
    if (!Files.isRegularFile(archive)) {
      Downloader.download(url, checksum, cache.newTemporaryFile("download-"), archive, options);
    } else {
      LOG.info("Using the earlier download {}", archive);
    }
    String verification = checksum == null ? "no checksum given" : checksum + " verified";
    try {
      return extractAndRead(
          archive, extracted, url + " (" + verification + ", downloaded to " + archive + ")");
    } catch (ArchiveExtractor.DamagedArchiveException e) {
      // A corrupt or unsafe download must not be trusted by the next run either.
      Files.deleteIfExists(archive);
      throw new CifarDataException(
          e.getMessage() + " The download " + archive + " was deleted.", e);
    } catch (CifarDataException e) {
      // Not the archive's fault (full disk, a cap set too low): downloading again would not help.
      throw new CifarDataException(
          e.getMessage()
              + " The download "
              + archive
              + " was kept; the next run extracts it without downloading again.",
          e);
    }
  }

  /**
   * The cache could not be written (no space left, quota, permissions): say where and what to do,
   * rather than blaming the archive.
   */
  private CifarDataException cacheWriteFailed(IOException e) {
    return new CifarDataException(
        "Could not write to "
            + options.cacheDir().toAbsolutePath()
            + ": "
            + describe(e)
            + "; free space there or set -D"
            + DataOptions.PROPERTY_CACHE
            + " elsewhere. Nothing partial was cached.",
        e);
  }

  /** FileSystemException messages can be just a path ("AccessDeniedException: /x" says more). */
  private static String describe(IOException e) {
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() == null) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** Cleaning up must not fail the run; {@code tmp/} is emptied of day-old entries anyway. */
  private static void deleteReplaced(Path replaced) {
    try {
      CifarCache.deleteRecursively(replaced);
    } catch (IOException e) {
      LOG.warn("Could not delete the replaced extraction {}: {}", replaced, e.toString());
    }
  }

  /**
   * Whether {@code extracted} can be used as it is: its files match its manifest. Otherwise it is made
   * again from {@code source} (logged), which is never absent: a local archive, the kept download, or
   * the URL.
   */
  private boolean isIntact(Path extracted, String source) throws IOException {
    if (!ExtractionManifest.exists(extracted)) {
      LOG.info(
          "The cached extraction {} has no {} listing its files (an older version of cnnbench made it),"
              + " so it cannot be checked; extracting {} again",
          extracted,
          ExtractionManifest.FILE_NAME,
          source);
      return false;
    }
    String mismatch = ExtractionManifest.mismatch(extracted);
    if (mismatch == null) {
      return true;
    }
    LOG.warn(
        "The cached extraction {} was changed or damaged after it was made: {}; extracting {} again",
        extracted,
        mismatch,
        source);
    return false;
  }

  private Resolved readCachedExtraction(Path extracted, String origin) throws IOException {
    LOG.info("Using the cached extraction {}", extracted);
    try {
      Path batches = CifarFiles.locateBatchesDirectory(extracted);
      return new Resolved(
          CifarFiles.readDirectory(batches), origin + " (cached extraction " + batches + ")");
    } catch (CifarDataException e) {
      throw new CifarDataException(
          e.getMessage()
              + " The cached extraction was changed after it was made; delete "
              + extracted
              + " and run again.",
          e);
    }
  }

  /**
   * Extracts into a temporary folder, reads and validates everything there, and only then renames
   * the folder into place, so an interrupted or invalid extraction is never trusted.
   */
  private Resolved extractAndRead(Path archive, Path extracted, String origin) throws IOException {
    Path temporary;
    try {
      temporary = cache.newTemporaryDirectory("extract-");
    } catch (IOException e) {
      throw cacheWriteFailed(e);
    }
    try {
      LOG.info("Extracting {}", archive);
      ArchiveExtractor.extractTarGz(
          archive,
          temporary,
          options.extractMaxBytes(),
          options.extractMaxEntries(),
          extractionOutput);
      Path batches;
      CifarFiles.Contents contents;
      try {
        batches = CifarFiles.locateBatchesDirectory(temporary);
        contents = CifarFiles.readDirectory(batches);
      } catch (CifarDataException e) {
        throw new ArchiveExtractor.DamagedArchiveException(
            "Archive "
                + archive
                + " is not usable CIFAR-10 binary data: "
                + e.getMessage()
                + " Nothing was cached.",
            e);
      }
      Path relativeBatches = temporary.relativize(batches);
      try {
        Files.writeString(temporary.resolve("SOURCE.txt"), origin + "\n", StandardCharsets.UTF_8);
        // Also forces every file to disk, so the rename below cannot outlive them in a crash.
        ExtractionManifest.write(temporary);
        Files.createDirectories(extracted.getParent());
      } catch (IOException e) {
        throw cacheWriteFailed(e);
      }
      Path replaced = null;
      try {
        if (Files.exists(extracted, LinkOption.NOFOLLOW_LINKS)) {
          // An extraction that failed its check: moved aside only now that its successor is
          // complete, and deleted once that is in place.
          replaced = cache.newTemporaryDirectory("replaced-");
          Files.move(extracted, replaced.resolve("extraction"), StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        throw cacheWriteFailed(e);
      }
      try {
        Files.move(temporary, extracted, StandardCopyOption.ATOMIC_MOVE);
        CifarCache.forceToDisk(extracted.getParent());
      } catch (IOException e) {
        if (!Files.isDirectory(extracted)) {
          throw cacheWriteFailed(e);
        }
        LOG.info("Another run extracted {} at the same time; using its copy", extracted);
      } finally {
        if (replaced != null) {
          deleteReplaced(replaced);
        }
      }
      return new Resolved(
          contents, origin + ", extracted to " + extracted.resolve(relativeBatches));
    } catch (ArchiveExtractor.WriteFailedException e) {
      throw cacheWriteFailed(e.getCause() instanceof IOException ? (IOException) e.getCause() : e);
    } finally {
      CifarCache.deleteRecursively(temporary);
    }
  }
}
