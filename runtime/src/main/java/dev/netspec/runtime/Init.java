package dev.netspec.runtime;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * How {@link Model} fills a variable before first use. Values are drawn in Java, so that the same
 * seed gives the same weights on every machine.
 */
public sealed interface Init permits Init.KaimingNormal, Init.Constant, Init.Uniform {

  /** Fills {@code values} (the variable's elements in row-major order) from {@code random}. */
  void fill(float[] values, RandomGenerator random);

  /**
   * Kaiming (He) normal initialization with the ReLU gain √2: standard deviation √2 / √fan, as
   * PyTorch's {@code kaiming_normal_(nonlinearity="relu")} draws it.
   */
  static Init kaimingNormal(long fan) {
    return new KaimingNormal(fan);
  }

  static Init zeros() {
    return new Constant(0f);
  }

  static Init ones() {
    return new Constant(1f);
  }

  static Init constant(float value) {
    return new Constant(value);
  }

  /** Uniform on [-bound, bound], PyTorch's default for linear layers (bound = 1 / √fan_in). */
  static Init uniform(float bound) {
    return new Uniform(bound);
  }

  /** Normal with mean 0 and standard deviation √2 / √fan. */
  record KaimingNormal(long fan) implements Init {
    public KaimingNormal {
      if (fan <= 0) {
        throw new IllegalArgumentException("Kaiming fan must be positive, got " + fan);
      }
    }

    public double std() {
      return Math.sqrt(2.0 / fan);
    }

    @Override
    public void fill(float[] values, RandomGenerator random) {
      double std = std();
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * std);
      }
    }
  }

  /** Every element the same value. */
  record Constant(float value) implements Init {
    @Override
    public void fill(float[] values, RandomGenerator random) {
      Arrays.fill(values, value);
    }
  }

  /** Uniform on [-bound, bound]. */
  record Uniform(float bound) implements Init {
    public Uniform {
      if (!(bound >= 0)) {
        throw new IllegalArgumentException("uniform bound must be >= 0, got " + bound);
      }
    }

    @Override
    public void fill(float[] values, RandomGenerator random) {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
      }
    }
  }
}
