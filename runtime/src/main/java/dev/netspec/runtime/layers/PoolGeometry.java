package dev.netspec.runtime.layers;

/** PyTorch's pooling arithmetic (MaxPool2d / AvgPool2d with {@code ceil_mode}), for one axis. */
final class PoolGeometry {

  private PoolGeometry() {}

  /**
   * The output size: {@code floor((in + 2p - k) / s) + 1}, or with {@code ceil} the ceiling, minus
   * one when the last window would start at or beyond {@code in + p} (entirely in the padding); 0
   * where no window fits. In ceil mode a window larger than the padded input still fits when it
   * starts inside it, as ResNet-D's 2×2 shortcut pool on a 1×1 map.
   */
  static long outputSize(long in, int kernel, int stride, int padding, boolean ceil) {
    long span = in + 2L * padding - kernel;
    long out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
    if (ceil && (out - 1) * stride >= in + padding) {
      out--;
    }
    return Math.max(out, 0);
  }

  /**
   * How far the last window reaches beyond the padded input ({@code in + 2p}); zero unless ceil
   * mode adds a partial window. Those positions never count towards an average's divisor.
   */
  static long overhang(long in, int kernel, int stride, int padding, boolean ceil) {
    long out = outputSize(in, kernel, stride, padding, ceil);
    return Math.max(0, (out - 1) * stride + kernel - in - 2L * padding);
  }
}
