package dev.netspec.runtime.engine;

import java.util.Locale;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * How far one engine's output is from another's on the same images: the largest difference of
 * two matching values, against the largest magnitude of the reference's. Engines agree when the
 * one is at most {@value #RELATIVE_BOUND} of the other: float32 rounding in another order of
 * operations stays far below it, a wrong kernel far above.
 *
 * @param maxDifference the largest {@code |reference - other|}, NaN where either is not finite
 * @param maxMagnitude the largest {@code |reference|}
 */
public record LogitAgreement(double maxDifference, double maxMagnitude) {
  /** The bound on {@code maxDifference / maxMagnitude} under which two engines agree. */
  public static final double RELATIVE_BOUND = 1e-4;

  /**
   * Compares {@code other} with {@code reference}.
   *
   * @throws IllegalArgumentException if their shapes differ
   */
  public static LogitAgreement of(TFloat32 reference, TFloat32 other) {
    if (!reference.shape().equals(other.shape())) {
      throw new IllegalArgumentException("the outputs' shapes differ: " + reference.shape()
          + " against " + other.shape());
    }
    float[] a = values(reference);
    float[] b = values(other);
    double difference = 0;
    double magnitude = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (!Double.isFinite(d)) {
        difference = Double.NaN;
      } else if (!Double.isNaN(difference)) {
        difference = Math.max(difference, d);
      }
      magnitude = Math.max(magnitude, Math.abs(a[i]));
    }
    return new LogitAgreement(difference, magnitude);
  }

  /** Whether the two agree within {@link #RELATIVE_BOUND} of the reference's largest magnitude. */
  public boolean holds() {
    return maxDifference <= RELATIVE_BOUND * Math.max(maxMagnitude, Float.MIN_NORMAL);
  }

  /** {@code max |difference| 3.1e-06 of max |logit| 12.4}. */
  public String describe() {
    return String.format(Locale.ROOT, "max |difference| %.2g of max |logit| %.3g",
        maxDifference, maxMagnitude);
  }

  private static float[] values(TFloat32 tensor) {
    float[] values = new float[Math.toIntExact(tensor.shape().size())];
    tensor.copyTo(DataBuffers.of(values, false, false));
    return values;
  }
}
