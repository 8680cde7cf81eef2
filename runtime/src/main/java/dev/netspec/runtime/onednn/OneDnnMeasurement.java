package dev.netspec.runtime.onednn;

import java.util.Locale;

/**
 * The two timings of {@link OneDnnBenchmark}, one in a process with TensorFlow's oneDNN
 * optimizations on, one with them off, and the setting they favour.
 *
 * @param onMillis the benchmark's median with {@code TF_ENABLE_ONEDNN_OPTS=1}
 * @param offMillis the benchmark's median with {@code TF_ENABLE_ONEDNN_OPTS=0}
 */
public record OneDnnMeasurement(double onMillis, double offMillis) {
  /**
   * How much faster off must be to be chosen: oneDNN is TensorFlow's default and runs grouped
   * convolutions natively, so a difference within the noise of a short run keeps it.
   */
  static final double OFF_MARGIN = 0.9;

  public OneDnnMeasurement {
    if (!(onMillis > 0 && offMillis > 0) || Double.isInfinite(onMillis)
        || Double.isInfinite(offMillis)) {
      throw new IllegalArgumentException("timings must be positive and finite, were on "
          + onMillis + " ms, off " + offMillis + " ms");
    }
  }

  /** Whether oneDNN should be on: unless off is more than 10% faster. */
  public boolean favoursOn() {
    return offMillis >= onMillis * OFF_MARGIN;
  }

  /** {@code on 9.52 ms, off 18.57 ms}. */
  public String describe() {
    return String.format(Locale.ROOT, "on %.2f ms, off %.2f ms", onMillis, offMillis);
  }
}
