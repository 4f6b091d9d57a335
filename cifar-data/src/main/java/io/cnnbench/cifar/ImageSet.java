package io.cnnbench.cifar;

import java.util.Arrays;

/**
 * CIFAR images kept as the file's bytes: record {@code i} occupies {@code pixels[i*3072 ..
 * i*3072+3071]} as a 1,024-byte red plane, then green, then blue, each 32×32 row-major; its class
 * is {@code labels[i]} (0–9).
 *
 * <p>The arrays are shared, not copied, because the full training set is 150 MB and the batch
 * pipeline reads them directly: callers must treat what {@link #pixels()} and {@link #labels()}
 * return as read-only.
 */
public final class ImageSet {

  private final byte[] pixels;
  private final byte[] labels;

  /**
   * Wraps the arrays without copying them.
   *
   * @throws CifarDataException if the lengths disagree or a label is outside 0–9
   */
  public ImageSet(byte[] pixels, byte[] labels) {
    if ((long) labels.length * CifarBinaryFormat.IMAGE_BYTES != pixels.length) {
      throw new CifarDataException(
          "ImageSet needs "
              + CifarBinaryFormat.IMAGE_BYTES
              + " pixel bytes per label: got "
              + pixels.length
              + " pixel bytes for "
              + labels.length
              + " labels");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= CifarBinaryFormat.NUM_CLASSES) {
        throw new CifarDataException("Label " + labels[i] + " of image " + i + " is not 0-9");
      }
    }
    this.pixels = pixels;
    this.labels = labels;
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** All pixels, {@code size()*3072} bytes, unsigned; shared, do not modify. */
  public byte[] pixels() {
    return pixels;
  }

  /** All labels, one byte (0–9) per image; shared, do not modify. */
  public byte[] labels() {
    return labels;
  }

  public int label(int index) {
    return labels[index];
  }

  /** Images per class, indexed by label. */
  public int[] classCounts() {
    int[] counts = new int[CifarBinaryFormat.NUM_CLASSES];
    for (byte label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** A new set holding copies of the given images, in the order given (repeats allowed). */
  public ImageSet subset(int[] indices) {
    byte[] subsetPixels = new byte[indices.length * CifarBinaryFormat.IMAGE_BYTES];
    byte[] subsetLabels = new byte[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int index = indices[i];
      if (index < 0 || index >= labels.length) {
        throw new IndexOutOfBoundsException(
            "Index " + index + " is outside this set of " + labels.length + " images");
      }
      System.arraycopy(
          pixels,
          index * CifarBinaryFormat.IMAGE_BYTES,
          subsetPixels,
          i * CifarBinaryFormat.IMAGE_BYTES,
          CifarBinaryFormat.IMAGE_BYTES);
      subsetLabels[i] = labels[index];
    }
    return new ImageSet(subsetPixels, subsetLabels);
  }

  @Override
  public String toString() {
    return "ImageSet{size=" + size() + ", perClass=" + Arrays.toString(classCounts()) + "}";
  }
}
