package io.cnnbench.cifar;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The official CIFAR-10 "binary version" layout: each record is one label byte followed by 3,072
 * pixel bytes (1,024 red, 1,024 green, 1,024 blue, each 32×32 row-major); class names are the
 * non-blank lines of {@code batches.meta.txt}.
 */
public final class CifarBinaryFormat {

  public static final int CHANNELS = 3;
  public static final int HEIGHT = 32;
  public static final int WIDTH = 32;
  public static final int PLANE_BYTES = HEIGHT * WIDTH;
  public static final int IMAGE_BYTES = CHANNELS * PLANE_BYTES;
  public static final int RECORD_BYTES = IMAGE_BYTES + 1;
  public static final int NUM_CLASSES = 10;

  /** Directory name inside the official archive. */
  public static final String BATCHES_DIRECTORY = "cifar-10-batches-bin";

  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");
  public static final String TEST_FILE = "test_batch.bin";
  public static final String META_FILE = "batches.meta.txt";

  /** Class names in label order, as the official {@code batches.meta.txt} lists them. */
  public static final List<String> STANDARD_CLASS_NAMES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private CifarBinaryFormat() {}

  /**
   * Splits one batch file's bytes into labels and pixels.
   *
   * @param fileName named in error messages
   * @throws CifarDataException if the size is not a whole number of records (naming the file and
   *     its size) or a label is outside 0–9 (naming the file, record index and label)
   */
  public static ImageSet parseBatch(String fileName, byte[] content) {
    checkSize(fileName, content.length);
    int records = content.length / RECORD_BYTES;
    byte[] labels = new byte[records];
    byte[] pixels = new byte[records * IMAGE_BYTES];
    parseInto(fileName, content, pixels, labels, 0);
    return new ImageSet(pixels, labels);
  }

  /**
   * Rejects a batch file that is empty or whose size is not a whole number of records, naming file
   * and size. An empty file is a whole number (zero) of records, but a split without images makes
   * every accuracy downstream 0/0 = NaN instead of failing here.
   */
  static void checkSize(String fileName, long size) {
    if (size <= 0) {
      throw new CifarDataException(
          fileName
              + " has "
              + size
              + " bytes; a CIFAR-10 batch file holds at least one "
              + RECORD_BYTES
              + "-byte record (the file is empty, e.g. left by a failed copy or a full disk);"
              + " download or extract it again");
    }
    if (size % RECORD_BYTES != 0) {
      throw new CifarDataException(
          fileName
              + " has "
              + size
              + " bytes, which is not a whole number of "
              + RECORD_BYTES
              + "-byte CIFAR-10 records (the file is truncated or not CIFAR-10 binary data);"
              + " download or extract it again");
    }
  }

  /**
   * Copies the records of one batch file (size already checked) into {@code pixels} and {@code
   * labels} starting at record {@code firstRecord}, so several files fill one array without an
   * intermediate copy.
   */
  static void parseInto(
      String fileName, byte[] content, byte[] pixels, byte[] labels, int firstRecord) {
    int records = content.length / RECORD_BYTES;
    for (int record = 0; record < records; record++) {
      int offset = record * RECORD_BYTES;
      int label = content[offset] & 0xff;
      if (label >= NUM_CLASSES) {
        throw new CifarDataException(
            fileName
                + " record "
                + record
                + " has label "
                + label
                + "; CIFAR-10 labels are 0-9 (is this CIFAR-100 or a corrupt file?)");
      }
      labels[firstRecord + record] = (byte) label;
      System.arraycopy(
          content, offset + 1, pixels, (firstRecord + record) * IMAGE_BYTES, IMAGE_BYTES);
    }
  }

  /** Joins sets into one, in the order given. */
  public static ImageSet concatenate(List<ImageSet> parts) {
    int total = 0;
    for (ImageSet part : parts) {
      total += part.size();
    }
    byte[] pixels = new byte[total * IMAGE_BYTES];
    byte[] labels = new byte[total];
    int position = 0;
    for (ImageSet part : parts) {
      System.arraycopy(part.pixels(), 0, pixels, position * IMAGE_BYTES, part.size() * IMAGE_BYTES);
      System.arraycopy(part.labels(), 0, labels, position, part.size());
      position += part.size();
    }
    return new ImageSet(pixels, labels);
  }

  /**
   * Class names from a {@code batches.meta.txt}: its non-blank lines, trimmed. The official file
   * ends with blank lines, hence the filter.
   */
  public static List<String> parseClassNames(String fileName, byte[] content) {
    List<String> names = new ArrayList<>();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\\R")) {
      if (!line.isBlank()) {
        names.add(line.trim());
      }
    }
    if (names.size() != NUM_CLASSES) {
      throw new CifarDataException(
          fileName
              + " lists "
              + names.size()
              + " class names "
              + names
              + "; CIFAR-10 needs exactly "
              + NUM_CLASSES);
    }
    return List.copyOf(names);
  }

  /** Writes the set as one batch file's content. */
  public static void writeBatch(ImageSet images, OutputStream out) throws IOException {
    byte[] record = new byte[RECORD_BYTES];
    for (int i = 0; i < images.size(); i++) {
      record[0] = (byte) images.label(i);
      System.arraycopy(images.pixels(), i * IMAGE_BYTES, record, 1, IMAGE_BYTES);
      out.write(record);
    }
  }

  /** {@code batches.meta.txt} content: one name per line. */
  public static byte[] formatClassNames(List<String> classNames) {
    StringBuilder text = new StringBuilder();
    for (String name : classNames) {
      text.append(name).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
