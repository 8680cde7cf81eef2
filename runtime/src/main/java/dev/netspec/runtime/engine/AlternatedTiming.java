package dev.netspec.runtime.engine;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times several ways of doing the same work in turns, so that a machine whose speed drifts slows
 * them alike: in each of {@code rounds} rounds, each runs {@code block} timed runs, after one
 * untimed run where another ran before it. The runs just after another engine's are slower than
 * the engine alone (ResNet-50 at batch 1: TensorFlow 63 ms and ONNX Runtime 40 ms in strict turns,
 * 49 and 31 ms two runs after each switch, as each alone).
 */
public final class AlternatedTiming {
  private final int rounds;
  private final int block;
  private final LongSupplier clock;

  /**
   * @param rounds how many times each way runs its block
   * @param block the timed runs of one way in one round
   * @param clock nanoseconds, {@code System::nanoTime}
   */
  public AlternatedTiming(int rounds, int block, LongSupplier clock) {
    if (rounds < 1 || block < 1) {
      throw new IllegalArgumentException("rounds and block must be at least 1, got " + rounds
          + " and " + block);
    }
    this.rounds = rounds;
    this.block = block;
    this.clock = clock;
  }

  /** Each of {@code runs}' timed runs in milliseconds, in their order: {@code rounds × block}. */
  public double[][] millis(List<Runnable> runs) {
    double[][] millis = new double[runs.size()][rounds * block];
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < runs.size(); i++) {
        if (runs.size() > 1) {
          runs.get(i).run();
        }
        for (int k = 0; k < block; k++) {
          long before = clock.getAsLong();
          runs.get(i).run();
          millis[i][round * block + k] = (clock.getAsLong() - before) / 1e6;
        }
      }
    }
    return millis;
  }

  /** The median of {@code values}. */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
