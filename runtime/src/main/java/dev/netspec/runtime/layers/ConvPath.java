package dev.netspec.runtime.layers;

/**
 * The ways {@link Convolution} builds one PyTorch convolution out of TensorFlow ops. They compute
 * the same function; they differ in which native kernels run it, and a kernel may be wrong on a
 * given CPU (TensorFlow 2.18's oneDNN gets some grouped and strided depthwise shapes wrong), so
 * {@link KernelCheck} verifies the path before a network uses it and falls back in this order.
 */
public enum ConvPath {
  /** One Conv2D whose filter has {@code in/groups} input channels; oneDNN runs groups natively. */
  NATIVE(false, false),
  /** Split the channels, one Conv2D per group, concatenate: no grouped kernel at all. */
  SPLIT(true, false),
  /** A stride-1 Conv2D, then every stride-th output: no strided kernel, stride² the work. */
  UNSTRIDED(false, true),
  /** {@link #SPLIT} and {@link #UNSTRIDED} together. */
  UNSTRIDED_SPLIT(true, true),
  /**
   * No convolution kernel: for each of the k² taps, a strided slice of the padded input times
   * that tap's weights (MatMul, or Mul and Sum per group), summed. The last resort.
   */
  TAPS(false, false),
  /**
   * One Conv2D that states the whole convolution (explicit padding, dilations, the grouped
   * filter) for a graph that is read, never run: what {@link DeclaredConvolutions} builds for an
   * export. Never a fallback, since TensorFlow has no right gradient for it and its CPU kernels
   * may be wrong.
   */
  DECLARED(false, false);

  private final boolean splits;
  private final boolean unstrided;

  ConvPath(boolean splits, boolean unstrided) {
    this.splits = splits;
    this.unstrided = unstrided;
  }

  boolean splits() {
    return splits;
  }

  boolean unstrided() {
    return unstrided;
  }

  /** Whether this path is a different way of building {@code spec} (not the same as another). */
  boolean appliesTo(ConvSpec spec) {
    return this != DECLARED && (!splits || spec.groups() > 1)
        && (!unstrided || (spec.stride() > 1 && spec.dilation() == 1));
  }
}
