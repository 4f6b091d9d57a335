package io.cnnbench.cifar;

/**
 * Per-channel normalisation of the original notebook's helper module: {@code (value - mean) / std}
 * on the 0..255 scale, with the CIFAR-10 training-set statistics below.
 */
public final class Normalization {

  private static final double[] MEAN_RGB = {125.30691805, 122.95039414, 113.86538318};
  private static final double[] STD_RGB = {62.99321928, 62.08870764, 66.70489964};

  /**
   * {@code LOOKUP[channel * 256 + value]}: a byte has only 256 values, so the pipeline looks the
   * float up instead of subtracting and dividing for every pixel.
   */
  private static final float[] LOOKUP = buildLookup();

  private Normalization() {}

  private static float[] buildLookup() {
    float[] lookup = new float[CifarBinaryFormat.CHANNELS * 256];
    for (int channel = 0; channel < CifarBinaryFormat.CHANNELS; channel++) {
      for (int value = 0; value < 256; value++) {
        lookup[channel * 256 + value] = (float) ((value - MEAN_RGB[channel]) / STD_RGB[channel]);
      }
    }
    return lookup;
  }

  /** Mean of R, G, B on the 0..255 scale (a copy). */
  public static double[] meanRgb() {
    return MEAN_RGB.clone();
  }

  /** Standard deviation of R, G, B on the 0..255 scale (a copy). */
  public static double[] stdRgb() {
    return STD_RGB.clone();
  }

  /** The normalised value of an unsigned pixel value 0..255 in channel 0 (R), 1 (G) or 2 (B). */
  public static float normalize(int channel, int value) {
    return LOOKUP[channel * 256 + value];
  }

  /** Shared table used by the batch assembler; never modified. */
  static float[] lookupTable() {
    return LOOKUP;
  }
}
