package io.cnnbench.cifar;

/**
 * How training images are randomised and how test images are cropped. Every variant first
 * normalises with {@link Normalization}; "zeros" in padding are zeros after normalisation, that is
 * the mean colour.
 */
public enum Augmentation {
  /**
   * The original notebook: training images are flipped left-right with probability 1/2 and cropped
   * to 28×28 at a uniformly random offset (0..4 in each direction); test images are cropped to
   * their centre 28×28, offset (2, 2).
   */
  NOTEBOOK(28, 0),
  /**
   * The usual CIFAR recipe: training images are padded by 4 zeros on every side, cropped to 32×32
   * at a uniformly random offset (0..8 in the padded image) and flipped with probability 1/2; test
   * images are used whole.
   */
  PAD4_CROP32(32, 4),
  /**
   * No augmentation: training images get the test-time transform of {@link #NOTEBOOK} (centre
   * 28×28 crop, no flip), so the network is the same and only the randomisation is gone. A
   * regression-detection mutant (docs/regression-tracking.md), not a recipe.
   */
  OFF(28, 0, false);

  private final int outputSize;
  private final int padding;
  private final boolean randomised;

  Augmentation(int outputSize, int padding) {
    this(outputSize, padding, true);
  }

  Augmentation(int outputSize, int padding, boolean randomised) {
    this.outputSize = outputSize;
    this.padding = padding;
    this.randomised = randomised;
  }

  /** Whether training images are randomised (flip and crop); if not they get the test-time crop. */
  public boolean randomised() {
    return randomised;
  }

  /** {@code {channels, height, width}} of the images this augmentation produces. */
  public int[] outputShape() {
    return new int[] {CifarBinaryFormat.CHANNELS, outputSize, outputSize};
  }

  /** Height and width of the produced images. */
  public int outputSize() {
    return outputSize;
  }

  /** Zero padding added on each side before the random training crop. */
  public int padding() {
    return padding;
  }

  /** Number of distinct training crop offsets per axis. */
  int trainingOffsetChoices() {
    return CifarBinaryFormat.WIDTH + 2 * padding - outputSize + 1;
  }

  /**
   * Offset of the test-time crop in unpadded image coordinates: centred, so (2, 2) for 28×28 and
   * (0, 0) for the whole image.
   */
  public int testOffset() {
    return (CifarBinaryFormat.WIDTH - outputSize) / 2;
  }
}
