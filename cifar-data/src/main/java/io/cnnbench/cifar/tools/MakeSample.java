package io.cnnbench.cifar.tools;

import io.cnnbench.cifar.CifarBinaryFormat;
import io.cnnbench.cifar.CifarDataset;
import io.cnnbench.cifar.DataOptions;
import io.cnnbench.cifar.ImageSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes the embedded sample: the first 200 training images of each class in file order of {@code
 * data_batch_1..5.bin} (all into {@code data_batch_1.bin}, kept in file order), the first 50 test
 * images of each class of {@code test_batch.bin}, and {@code batches.meta.txt}.
 *
 * <pre>
 * java -cp ... io.cnnbench.cifar.tools.MakeSample ARCHIVE_OR_DIRECTORY OUTPUT_DIRECTORY [CHECKSUM]
 * </pre>
 */
public final class MakeSample {

  public static final int TRAIN_PER_CLASS = 200;
  public static final int TEST_PER_CLASS = 50;

  private MakeSample() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: MakeSample ARCHIVE_OR_DIRECTORY OUTPUT_DIRECTORY [sha256:HEX]");
      System.exit(2);
    }
    Path output = Path.of(args[1]);
    // A throw-away cache: the sample should not leave a 180 MB extraction behind.
    Path cache = Files.createTempDirectory("cifar-make-sample-");
    try {
      DataOptions.Builder options = DataOptions.builder().dataset(args[0]).cacheDir(cache);
      if (args.length == 3) {
        options.checksum(args[2]);
      }
      CifarDataset full = CifarDataset.load(options.build());
      ImageSet train = firstPerClass(full.train(), TRAIN_PER_CLASS);
      ImageSet test = firstPerClass(full.test(), TEST_PER_CLASS);
      Files.createDirectories(output);
      writeAtomically(
          output.resolve("data_batch_1.bin"), out -> CifarBinaryFormat.writeBatch(train, out));
      writeAtomically(
          output.resolve(CifarBinaryFormat.TEST_FILE),
          out -> CifarBinaryFormat.writeBatch(test, out));
      writeAtomically(
          output.resolve(CifarBinaryFormat.META_FILE),
          out -> out.write(CifarBinaryFormat.formatClassNames(full.classNames())));
      System.out.println(
          "Wrote "
              + train.size()
              + " training images "
              + Arrays.toString(train.classCounts())
              + " and "
              + test.size()
              + " test images "
              + Arrays.toString(test.classCounts())
              + " from "
              + full.source()
              + " to "
              + output.toAbsolutePath());
    } finally {
      try (Stream<Path> paths = Files.walk(cache)) {
        paths.sorted(Comparator.reverseOrder()).forEach(MakeSample::deleteQuietly);
      }
    }
  }

  /** The first {@code perClass} images of every class, in the set's order. */
  static ImageSet firstPerClass(ImageSet images, int perClass) {
    int[] taken = new int[CifarBinaryFormat.NUM_CLASSES];
    int[] indices = new int[perClass * CifarBinaryFormat.NUM_CLASSES];
    int count = 0;
    for (int i = 0; i < images.size() && count < indices.length; i++) {
      int label = images.label(i);
      if (taken[label] < perClass) {
        taken[label]++;
        indices[count++] = i;
      }
    }
    if (count < indices.length) {
      throw new IllegalStateException(
          "Only " + Arrays.toString(taken) + " images per class; need " + perClass);
    }
    return images.subset(indices);
  }

  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path target, Writer writer) throws IOException {
    Path temporary =
        Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        writer.write(out);
      }
      // Temporary files are private (rw-------); resources in the repository should not be.
      if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      System.err.println("Could not delete " + path + ": " + e);
    }
  }
}
