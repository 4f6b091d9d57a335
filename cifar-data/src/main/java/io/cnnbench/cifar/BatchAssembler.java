package io.cnnbench.cifar;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Writes images straight from the byte arrays into one direct float buffer per batch. */
final class BatchAssembler {
  private final ImageSet images;
  private final Augmentation augmentation;
  private final BufferPool buffers;
  private final float[] lookup = Normalization.lookupTable();

  /** One output row at a time, then a bulk put: far faster than per-float puts. */
  private final float[] row;

  BatchAssembler(ImageSet images, Augmentation augmentation, BufferPool buffers) {
    this.images = images;
    this.augmentation = augmentation;
    this.buffers = buffers;
    this.row = new float[augmentation.outputSize()];
  }

  /**
   * @param random null for the test-time transform; otherwise per image in order: flip ({@code
   *     nextBoolean}), then crop row offset, then crop column offset ({@code nextInt})
   */
  Batch assemble(int[] order, int from, int count, SplittableRandom random) {
    int size = augmentation.outputSize();
    int floats = count * CifarBinaryFormat.CHANNELS * size * size;
    ByteBuffer whole = buffers.acquire();
    // The last batch may be partial: it uses the front of a full-size buffer.
    ByteBuffer storage = whole.slice(0, floats * Float.BYTES).order(ByteOrder.nativeOrder());
    FloatBuffer out = storage.asFloatBuffer();
    int[] labels = new int[count];
    byte[] pixels = images.pixels();
    for (int k = 0; k < count; k++) {
      int image = order[from + k];
      labels[k] = images.label(image);
      boolean flip;
      int rowOffset;
      int columnOffset;
      if (random == null) {
        flip = false;
        rowOffset = augmentation.testOffset();
        columnOffset = augmentation.testOffset();
      } else {
        int choices = augmentation.trainingOffsetChoices();
        flip = random.nextBoolean();
        rowOffset = random.nextInt(choices) - augmentation.padding();
        columnOffset = random.nextInt(choices) - augmentation.padding();
      }
      writeImage(
          pixels, image * CifarBinaryFormat.IMAGE_BYTES, flip, rowOffset, columnOffset, out);
    }
    return new Batch(
        storage,
        labels,
        new int[] {count, CifarBinaryFormat.CHANNELS, size, size},
        () -> buffers.release(whole));
  }

  /**
   * Output pixel (y, x) of a channel is source pixel (y + rowOffset, x' + columnOffset) with x' =
   * size-1-x when flipped, else x; sources outside the 32×32 image are padding, 0.
   */
  private void writeImage(
      byte[] pixels,
      int imageStart,
      boolean flip,
      int rowOffset,
      int columnOffset,
      FloatBuffer out) {
    int size = augmentation.outputSize();
    for (int channel = 0; channel < CifarBinaryFormat.CHANNELS; channel++) {
      int planeStart = imageStart + channel * CifarBinaryFormat.PLANE_BYTES;
      int lookupStart = channel * 256;
      for (int y = 0; y < size; y++) {
        int sourceRow = y + rowOffset;
        if (sourceRow < 0 || sourceRow >= CifarBinaryFormat.HEIGHT) {
          Arrays.fill(row, 0f);
        } else {
          int rowStart = planeStart + sourceRow * CifarBinaryFormat.WIDTH;
          for (int x = 0; x < size; x++) {
            int sourceColumn = (flip ? size - 1 - x : x) + columnOffset;
            row[x] =
                sourceColumn < 0 || sourceColumn >= CifarBinaryFormat.WIDTH
                    ? 0f
                    : lookup[lookupStart + (pixels[rowStart + sourceColumn] & 0xff)];
          }
        }
        out.put(row, 0, size);
      }
    }
  }
}
