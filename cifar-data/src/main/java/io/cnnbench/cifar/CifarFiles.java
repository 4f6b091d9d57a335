package io.cnnbench.cifar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the batch files of an extracted CIFAR-10 directory or of the embedded sample. */
final class CifarFiles {

  private static final Logger LOG = LoggerFactory.getLogger(CifarFiles.class);

  /** Classpath folder of the embedded sample. */
  static final String SAMPLE_RESOURCE_DIRECTORY = "/io/cnnbench/cifar/sample/";

  /** Files of the embedded sample: all 2,000 training records live in the first batch file. */
  static final List<String> SAMPLE_TRAIN_FILES = List.of("data_batch_1.bin");

  /** Everything read from one source, before limits and validation split. */
  static final class Contents {
    final ImageSet train;
    final ImageSet test;
    final List<String> classNames;

    Contents(ImageSet train, ImageSet test, List<String> classNames) {
      this.train = train;
      this.test = test;
      this.classNames = classNames;
    }
  }

  private CifarFiles() {}

  /**
   * The directory that holds the batch files: {@code dir/cifar-10-batches-bin} if present, else
   * {@code dir} itself if it holds any batch file, else the single subdirectory that does (an
   * archive whose top folder was renamed).
   *
   * @throws CifarDataException listing what {@code dir} contains when none fits
   */
  static Path locateBatchesDirectory(Path dir) throws IOException {
    Path official = dir.resolve(CifarBinaryFormat.BATCHES_DIRECTORY);
    if (Files.isDirectory(official)) {
      return official;
    }
    if (holdsBatchFiles(dir)) {
      return dir;
    }
    List<Path> candidates;
    try (Stream<Path> children = Files.list(dir)) {
      candidates =
          children
              .filter(Files::isDirectory)
              .filter(CifarFiles::holdsBatchFiles)
              .collect(Collectors.toList());
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw new CifarDataException(
        dir
            + " holds no CIFAR-10 binary batches (expected "
            + CifarBinaryFormat.BATCHES_DIRECTORY
            + "/ or data_batch_1.bin ... test_batch.bin); it contains "
            + listing(dir)
            + ". Point -D"
            + DataOptions.PROPERTY_DATASET
            + " at the extracted cifar-10-batches-bin directory or at cifar-10-binary.tar.gz.");
  }

  private static boolean holdsBatchFiles(Path dir) {
    if (Files.isRegularFile(dir.resolve(CifarBinaryFormat.TEST_FILE))) {
      return true;
    }
    for (String name : CifarBinaryFormat.TRAIN_FILES) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return true;
      }
    }
    return false;
  }

  /** Reads and validates all six batch files and the class names of {@code batchesDir}. */
  static Contents readDirectory(Path batchesDir) throws IOException {
    List<String> missing = new ArrayList<>();
    for (String name : allBatchFiles()) {
      if (!Files.isRegularFile(batchesDir.resolve(name))) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new CifarDataException(
          batchesDir
              + " is missing "
              + String.join(", ", missing)
              + "; found "
              + listing(batchesDir)
              + ". CIFAR-10 binary needs data_batch_1.bin ... data_batch_5.bin and test_batch.bin;"
              + " extract the complete cifar-10-binary.tar.gz or point -D"
              + DataOptions.PROPERTY_DATASET
              + " at the archive.");
    }
    ImageSet train = readBatchFiles(batchesDir, CifarBinaryFormat.TRAIN_FILES);
    ImageSet test = readBatchFiles(batchesDir, List.of(CifarBinaryFormat.TEST_FILE));
    Path meta = batchesDir.resolve(CifarBinaryFormat.META_FILE);
    List<String> classNames;
    if (Files.isRegularFile(meta)) {
      classNames = CifarBinaryFormat.parseClassNames(meta.toString(), Files.readAllBytes(meta));
    } else {
      LOG.warn(
          "{} has no {}; using the standard CIFAR-10 class names",
          batchesDir,
          CifarBinaryFormat.META_FILE);
      classNames = CifarBinaryFormat.STANDARD_CLASS_NAMES;
    }
    return new Contents(train, test, classNames);
  }

  private static List<String> allBatchFiles() {
    List<String> names = new ArrayList<>(CifarBinaryFormat.TRAIN_FILES);
    names.add(CifarBinaryFormat.TEST_FILE);
    return names;
  }

  /**
   * Checks every file's size first (so a truncated file fails before 150 MB are read), then reads
   * the files straight into one pair of arrays.
   */
  private static ImageSet readBatchFiles(Path dir, List<String> names) throws IOException {
    long records = 0;
    for (String name : names) {
      Path file = dir.resolve(name);
      long size = Files.size(file);
      CifarBinaryFormat.checkSize(file.toString(), size);
      records += size / CifarBinaryFormat.RECORD_BYTES;
    }
    if (records * CifarBinaryFormat.IMAGE_BYTES > Integer.MAX_VALUE - 8) {
      throw new CifarDataException(
          dir + " holds " + records + " images, more than one Java array can hold");
    }
    byte[] pixels = new byte[(int) records * CifarBinaryFormat.IMAGE_BYTES];
    byte[] labels = new byte[(int) records];
    int position = 0;
    for (String name : names) {
      Path file = dir.resolve(name);
      byte[] content = Files.readAllBytes(file);
      // Re-checked: the file may have changed since its size was read.
      CifarBinaryFormat.checkSize(file.toString(), content.length);
      if (position + content.length / CifarBinaryFormat.RECORD_BYTES > records) {
        throw new CifarDataException(file + " grew while it was being read; try again");
      }
      CifarBinaryFormat.parseInto(file.toString(), content, pixels, labels, position);
      position += content.length / CifarBinaryFormat.RECORD_BYTES;
    }
    if (position != records) {
      throw new CifarDataException(dir + " changed while it was being read; try again");
    }
    return new ImageSet(pixels, labels);
  }

  /** The embedded sample: 200 training and 50 test images per class. */
  static Contents readSample() {
    List<ImageSet> trainParts = new ArrayList<>();
    for (String name : SAMPLE_TRAIN_FILES) {
      trainParts.add(CifarBinaryFormat.parseBatch(name, readResource(name)));
    }
    ImageSet train = CifarBinaryFormat.concatenate(trainParts);
    ImageSet test =
        CifarBinaryFormat.parseBatch(
            CifarBinaryFormat.TEST_FILE, readResource(CifarBinaryFormat.TEST_FILE));
    List<String> classNames =
        CifarBinaryFormat.parseClassNames(
            CifarBinaryFormat.META_FILE, readResource(CifarBinaryFormat.META_FILE));
    return new Contents(train, test, classNames);
  }

  private static byte[] readResource(String name) {
    String resource = SAMPLE_RESOURCE_DIRECTORY + name;
    try (InputStream in = CifarFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new CifarDataException(
            "The embedded sample resource "
                + resource
                + " is missing from the cnn-cifar-data jar; rebuild the module");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CifarDataException("Could not read the embedded sample resource " + resource, e);
    }
  }

  /** Sorted names of a directory's entries, for error messages; folders end with '/'. */
  static String listing(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      List<String> names =
          children
              .map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
              .sorted()
              .collect(Collectors.toList());
      return names.isEmpty() ? "nothing" : names.toString();
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
