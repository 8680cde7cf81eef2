package dev.netspec.runtime.data;

import java.util.SplittableRandom;

/** Deterministic permutations and per-item random streams. */
public final class Shuffle {
  private Shuffle() {}

  /** A Fisher-Yates permutation of {@code 0..n-1}. */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** {@code 0..n-1} in order. */
  public static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** A random stream that depends only on its three keys (SplitMix64 mixing). */
  public static SplittableRandom stream(long seed, long a, long b) {
    return new SplittableRandom(mix(mix(mix(seed) ^ a) ^ b));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
