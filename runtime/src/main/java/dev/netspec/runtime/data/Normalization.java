package dev.netspec.runtime.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/** Per-channel mean and standard deviation: a pixel becomes {@code (value - mean) / std}. */
public record Normalization(float[] mean, float[] std) {

  public Normalization {
    mean = mean.clone();
    std = std.clone();
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException("mean and std need one value per channel, got "
          + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("every std must be > 0, got " + Arrays.toString(std));
      }
    }
  }

  /**
   * The mean and std of up to {@code samples} images of {@code data}, drawn deterministically;
   * a channel that never varies gets std 1.
   */
  public static Normalization estimate(Dataset data, int samples, long seed) {
    int channels = data.channels();
    double[] sum = new double[channels];
    double[] squares = new double[channels];
    long count = 0;
    int n = Math.min(samples, data.size());
    if (n == 0) {
      throw new IllegalArgumentException("cannot estimate a normalization from no images: "
          + data.describe());
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = Shuffle.permutation(data.size(), random);
    for (int i = 0; i < n; i++) {
      Image image = data.image(order[i]);
      float[] p = image.pixels();
      for (int j = 0; j < p.length; j++) {
        int c = j % channels;
        sum[c] += p[j];
        squares[c] += (double) p[j] * p[j];
      }
      count += (long) image.height() * image.width();
    }
    float[] mean = new float[channels];
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      double m = sum[c] / count;
      double variance = Math.max(0, squares[c] / count - m * m);
      mean[c] = (float) m;
      std[c] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
    }
    return new Normalization(mean, std);
  }

  public int channels() {
    return mean.length;
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** Normalizes HWC pixels in place. */
  public void apply(float[] pixels, int offset, int length) {
    int channels = mean.length;
    for (int i = 0; i < length; i++) {
      int c = i % channels;
      pixels[offset + i] = (pixels[offset + i] - mean[c]) / std[c];
    }
  }

  /** "0.4914,0.4822,0.4465", for metadata. */
  public static String format(float[] values) {
    StringBuilder s = new StringBuilder();
    for (float v : values) {
      s.append(s.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", v));
    }
    return s.toString();
  }

  /** Reads what {@link #format} wrote. */
  public static float[] parse(String text) {
    String[] parts = text.split(",");
    float[] values = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Float.parseFloat(parts[i].trim());
    }
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization other && Arrays.equals(mean, other.mean)
        && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
  }
}
