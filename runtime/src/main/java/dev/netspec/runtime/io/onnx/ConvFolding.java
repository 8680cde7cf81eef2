package dev.netspec.runtime.io.onnx;

/**
 * Folds what follows a convolution into its weights: a bias, and a BatchNorm in inference, {@code
 * γ·(conv(x) + b − μ)/√(σ² + ε) + β}, which is the convolution with each output channel's filter
 * scaled by {@code s = γ/√(σ² + ε)} and the bias {@code (b − μ)·s + β}. Computed in double, so
 * that the folded model differs from the unfolded one by float rounding only.
 */
final class ConvFolding {
  private ConvFolding() {}

  /** Weights {@code [out, in/groups, kh, kw]} and a bias {@code [out]} after folding. */
  record Folded(Constant weight, float[] bias) {}

  /** {@code bias + extra}; {@code bias} may be null (none yet). */
  static float[] addBias(float[] bias, float[] extra) {
    if (bias == null) {
      return extra.clone();
    }
    float[] sum = new float[bias.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = bias[i] + extra[i];
    }
    return sum;
  }

  /**
   * {@code weight} {@code [out, ...]} and {@code bias} (null: zeros) with the BatchNorm of {@code
   * scale}, {@code offset}, {@code mean}, {@code variance} and {@code epsilon} folded in.
   */
  static Folded foldBatchNorm(Constant weight, float[] bias, float[] scale, float[] offset,
      float[] mean, float[] variance, float epsilon) {
    int out = (int) weight.shape()[0];
    if (scale.length != out) {
      throw new IllegalArgumentException("a BatchNorm of " + scale.length + " channels after a "
          + "convolution of " + out);
    }
    float[] w = weight.floats().clone();
    int perChannel = w.length / out;
    float[] b = new float[out];
    for (int o = 0; o < out; o++) {
      double s = scale[o] / Math.sqrt((double) variance[o] + epsilon);
      for (int i = o * perChannel; i < (o + 1) * perChannel; i++) {
        w[i] = (float) (w[i] * s);
      }
      double before = bias == null ? 0 : bias[o];
      b[o] = (float) ((before - mean[o]) * s + offset[o]);
    }
    return new Folded(Constant.ofFloats(weight.shape(), w), b);
  }
}
