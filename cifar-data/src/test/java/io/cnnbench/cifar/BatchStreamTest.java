package io.cnnbench.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchStreamTest {

  private static final float TOLERANCE = 1e-6f;

  /** All floats and labels of one pass, batch by batch. */
  private static List<float[]> drain(BatchStream stream, List<int[]> labels) {
    List<float[]> batches = new ArrayList<>();
    try (stream) {
      while (stream.hasNext()) {
        try (Batch batch = stream.next()) {
          FloatBuffer images = batch.images();
          assertTrue(images.isDirect());
          float[] values = new float[images.remaining()];
          images.get(values);
          batches.add(values);
          if (labels != null) {
            labels.add(batch.labels());
          }
        }
      }
    }
    return batches;
  }

  private static double expectedNormalised(int channel, int value) {
    return (value - Normalization.meanRgb()[channel]) / Normalization.stdRgb()[channel];
  }

  @Test
  void sameSeedAndEpochGiveIdenticalBatchesOtherEpochsDiffer() {
    ImageSet images = TestData.patterned(150);
    List<int[]> labelsA = new ArrayList<>();
    List<int[]> labelsB = new ArrayList<>();

    List<float[]> a = drain(BatchStream.training(images, Augmentation.NOTEBOOK, 32, 5, 3), labelsA);
    // Prefetch 1 changes the producer's timing relative to the consumer, not the result.
    List<float[]> b =
        drain(BatchStream.training(images, Augmentation.NOTEBOOK, 32, 5, 3, 1), labelsB);
    List<float[]> otherEpoch =
        drain(BatchStream.training(images, Augmentation.NOTEBOOK, 32, 5, 4), null);
    List<float[]> otherSeed =
        drain(BatchStream.training(images, Augmentation.NOTEBOOK, 32, 6, 3), null);

    assertEquals(5, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), "batch " + i);
      assertArrayEquals(labelsA.get(i), labelsB.get(i), "labels of batch " + i);
    }
    assertFalse(Arrays.equals(a.get(0), otherEpoch.get(0)));
    assertFalse(Arrays.equals(a.get(0), otherSeed.get(0)));
  }

  @Test
  void everyEpochVisitsEveryImageOnceAndKeepsThePartialBatch() {
    ImageSet images = TestData.patterned(10);
    List<int[]> labels = new ArrayList<>();

    List<float[]> batches =
        drain(BatchStream.training(images, Augmentation.PAD4_CROP32, 4, 1, 0), labels);

    assertEquals(3, batches.size());
    assertEquals(4 * 3 * 32 * 32, batches.get(0).length);
    assertEquals(2 * 3 * 32 * 32, batches.get(2).length);
    int[] seen = labels.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, seen);
    assertEquals(3, BatchStream.numBatches(10, 4));
    assertEquals(2, BatchStream.numBatches(8, 4));
    assertEquals(0, BatchStream.numBatches(0, 4));
  }

  @Test
  void normalisesAKnownPixelWithTheReferenceMeanAndStd() {
    byte[] pixels = new byte[3072];
    pixels[0] = (byte) 255; // R at (0, 0)
    pixels[1024 + 5 * 32 + 7] = (byte) 128; // G at (5, 7)
    pixels[2048 + 31 * 32 + 31] = 0; // B at (31, 31)
    ImageSet one = new ImageSet(pixels, new byte[] {3});

    try (BatchStream stream = BatchStream.evaluation(one, Augmentation.PAD4_CROP32, 1)) {
      Batch batch = stream.next();
      FloatBuffer f = batch.images();
      assertEquals((255 - 125.30691805) / 62.99321928, f.get(0), TOLERANCE);
      assertEquals((128 - 122.95039414) / 62.08870764, f.get(1024 + 5 * 32 + 7), TOLERANCE);
      assertEquals((0 - 113.86538318) / 66.70489964, f.get(2048 + 31 * 32 + 31), TOLERANCE);
      assertEquals(expectedNormalised(0, 255), Normalization.normalize(0, 255), TOLERANCE);
      assertArrayEquals(new int[] {3}, batch.labels());
      assertFalse(stream.hasNext());
    }
  }

  @Test
  void notebookTestCropIsTheCentreAtOffsetTwoTwo() {
    ImageSet images = TestData.patterned(3);

    try (BatchStream stream = BatchStream.evaluation(images, Augmentation.NOTEBOOK, 3)) {
      Batch batch = stream.next();
      assertArrayEquals(new int[] {3, 3, 28, 28}, batch.shape());
      FloatBuffer f = batch.images();
      for (int image = 0; image < 3; image++) {
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
              int value = TestData.patternValue(image, c, y + 2, x + 2);
              assertEquals(
                  expectedNormalised(c, value),
                  f.get(((image * 3 + c) * 28 + y) * 28 + x),
                  TOLERANCE,
                  "image " + image + " channel " + c + " at " + y + "," + x);
            }
          }
        }
      }
      assertArrayEquals(new int[] {0, 1, 2}, batch.labels());
    }
  }

  /**
   * Every training image must be one of the allowed crops (flipped or not) of its source, and both
   * flips must occur.
   */
  @Test
  void trainingImagesAreFlipsAndCropsOfTheirSource() {
    for (Augmentation augmentation : Augmentation.values()) {
      if (!augmentation.randomised()) {
        continue;
      }
      ImageSet images = TestData.patterned(40);
      int size = augmentation.outputSize();
      int pad = augmentation.padding();
      int choices = 32 + 2 * pad - size + 1;
      int flips = 0;
      int offsetsSeen = 0;
      boolean[] offsetSeen = new boolean[choices * choices];
      try (BatchStream stream = BatchStream.training(images, augmentation, 40, 11, 0)) {
        Batch batch = stream.next();
        float[] all = new float[batch.images().remaining()];
        batch.images().get(all);
        int[] labels = batch.labels();
        for (int k = 0; k < batch.size(); k++) {
          boolean matched = false;
          search:
          for (int source = labels[k]; source < 40; source += 10) {
            for (int flip = 0; flip < 2; flip++) {
              for (int oy = -pad; oy < choices - pad; oy++) {
                for (int ox = -pad; ox < choices - pad; ox++) {
                  if (matches(all, k, size, source, flip == 1, oy, ox)) {
                    matched = true;
                    flips += flip;
                    if (!offsetSeen[(oy + pad) * choices + ox + pad]) {
                      offsetSeen[(oy + pad) * choices + ox + pad] = true;
                      offsetsSeen++;
                    }
                    break search;
                  }
                }
              }
            }
          }
          assertTrue(matched, augmentation + ": image " + k + " is no crop of any source");
        }
      }
      assertTrue(flips > 5 && flips < 35, augmentation + " flipped " + flips + " of 40");
      assertTrue(offsetsSeen > 5, augmentation + " used only " + offsetsSeen + " offsets");
    }
  }

  /** {@code off}: every training image is its source's test-time crop, never flipped, in shuffled order. */
  @Test
  void trainingWithoutAugmentationUsesTheTestTimeCrop() {
    ImageSet images = TestData.patterned(40);
    int off = Augmentation.OFF.testOffset();
    try (BatchStream stream = BatchStream.training(images, Augmentation.OFF, 40, 11, 0)) {
      Batch batch = stream.next();
      float[] all = new float[batch.images().remaining()];
      batch.images().get(all);
      int[] labels = batch.labels();
      for (int k = 0; k < batch.size(); k++) {
        boolean matched = false;
        for (int source = labels[k]; source < 40 && !matched; source += 10) {
          matched = matches(all, k, 28, source, false, off, off);
        }
        assertTrue(matched, "image " + k + " is not the centre crop of a source");
      }
    }
  }

  private static boolean matches(
      float[] all, int k, int size, int source, boolean flip, int oy, int ox) {
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int sy = y + oy;
          int sx = (flip ? size - 1 - x : x) + ox;
          double expected =
              sy < 0 || sy >= 32 || sx < 0 || sx >= 32
                  ? 0.0
                  : expectedNormalised(c, TestData.patternValue(source, c, sy, sx));
          if (Math.abs(all[((k * 3 + c) * size + y) * size + x] - expected) > TOLERANCE) {
            return false;
          }
        }
      }
    }
    return true;
  }

  @Test
  void evaluationOrderIsTheSetOrder() {
    ImageSet images = TestData.patterned(25);
    List<int[]> labels = new ArrayList<>();

    drain(BatchStream.evaluation(images, Augmentation.NOTEBOOK, 10), labels);

    int[] order = labels.stream().flatMapToInt(Arrays::stream).toArray();
    int[] expected = new int[25];
    Arrays.setAll(expected, i -> i % 10);
    assertArrayEquals(expected, order);
  }

  @Test
  void producerExceptionIsRethrownToTheConsumer() {
    ImageSet images = TestData.patterned(4);
    BufferPool buffers = new BufferPool(Augmentation.NOTEBOOK, 1, 2);
    BatchAssembler assembler =
        new BatchAssembler(images, Augmentation.NOTEBOOK, buffers);
    int[] order = {0, 1, 2, 3};
    BatchStream stream =
        new BatchStream(
            "test",
            4,
            index -> {
              if (index == 2) {
                throw new IllegalStateException("disk on fire");
              }
              return assembler.assemble(order, index, 1, null);
            },
            2,
            buffers);

    assertEquals(1, stream.next().size());
    assertEquals(1, stream.next().size());
    CifarDataException error = assertThrows(CifarDataException.class, stream::hasNext);

    assertTrue(error.getMessage().contains("disk on fire"), error.getMessage());
    assertTrue(error.getCause() instanceof IllegalStateException);
    assertFalse(stream.producerAlive());
    assertFalse(stream.hasNext());
  }

  @Test
  void closeStopsTheProducerEarly() {
    ImageSet images = TestData.patterned(200);
    BatchStream stream = BatchStream.training(images, Augmentation.NOTEBOOK, 1, 0, 0, 1);

    stream.next();
    stream.close();

    assertFalse(stream.producerAlive());
    assertFalse(stream.hasNext());
    assertThrows(NoSuchElementException.class, stream::next);
  }

  @Test
  void closedBatchesLendTheirBuffersToLaterBatches() {
    ImageSet images = TestData.patterned(100);
    List<float[]> reference =
        drain(BatchStream.training(images, Augmentation.NOTEBOOK, 2, 3, 1), null);

    try (BatchStream stream = BatchStream.training(images, Augmentation.NOTEBOOK, 2, 3, 1, 2)) {
      int index = 0;
      while (stream.hasNext()) {
        Batch batch = stream.next();
        float[] values = new float[batch.images().remaining()];
        batch.images().get(values);
        assertArrayEquals(reference.get(index++), values, "reused buffers must not change content");
        batch.close();
        assertThrows(IllegalStateException.class, batch::images);
        batch.close(); // a second close is harmless and does not release the buffer twice
      }
      assertEquals(50, index);
      assertTrue(
          stream.buffersAllocated() <= 6, stream.buffersAllocated() + " buffers for 50 batches");
    }
  }

  @Test
  void unclosedBatchesStayValid() {
    ImageSet images = TestData.patterned(20);
    List<Batch> kept = new ArrayList<>();
    List<float[]> copies = new ArrayList<>();

    try (BatchStream stream = BatchStream.evaluation(images, Augmentation.PAD4_CROP32, 3)) {
      while (stream.hasNext()) {
        Batch batch = stream.next();
        float[] values = new float[batch.images().remaining()];
        batch.images().get(values);
        kept.add(batch);
        copies.add(values);
      }
      assertEquals(7, stream.buffersAllocated());
    }
    for (int i = 0; i < kept.size(); i++) {
      float[] now = new float[kept.get(i).images().remaining()];
      kept.get(i).images().get(now);
      assertArrayEquals(copies.get(i), now);
    }
  }

  @Test
  void augmentationShapes() {
    assertArrayEquals(new int[] {3, 28, 28}, Augmentation.NOTEBOOK.outputShape());
    assertArrayEquals(new int[] {3, 32, 32}, Augmentation.PAD4_CROP32.outputShape());
    assertEquals(2, Augmentation.NOTEBOOK.testOffset());
    assertEquals(0, Augmentation.PAD4_CROP32.testOffset());
  }

  @Test
  void pipelineThroughputIsPositive() {
    double rate =
        PipelineThroughput.imagesPerSecond(TestData.patterned(200), Augmentation.NOTEBOOK, 64, 2);

    assertTrue(rate > 0 && Double.isFinite(rate), "rate " + rate);
  }
}
