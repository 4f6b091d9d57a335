package io.cnnbench.cifar;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seeded randomness of a pass: derived seeds ({@link #mix}) and the order of a training pass ({@link
 * #permutation}), which depend only on their inputs, never on thread timing.
 */
final class Shuffle {
  private Shuffle() {}

  /** SplitMix64's finaliser over a combination of two values: well-spread derived seeds. */
  static long mix(long first, long second) {
    long z = first * 0x9e3779b97f4a7c15L + second;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Fisher–Yates shuffle of 0..size-1. */
  static int[] permutation(int size, long seed) {
    int[] order = new int[size];
    Arrays.setAll(order, i -> i);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
