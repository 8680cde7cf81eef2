package dev.netspec.processor.ir;

import dev.netspec.annotations.PoolKind;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch's {@code MaxPool2d} / {@code AvgPool2d}, with its ceil mode and, for an average,
 * whether the padding counts in the divisor ({@code count_include_pad}).
 */
public record Pool(PoolKind kind, int kernel, int stride, int padding, boolean ceil,
    boolean countPadding) implements Primitive {

  /**
   * Output side, PyTorch's {@code pooling_output_shape}: in ceil mode the last window must start
   * inside the input or its left padding; -1 when the input side is dynamic.
   */
  public static int side(int side, int kernel, int stride, int padding, boolean ceil) {
    if (side == TensorShape.DYNAMIC) {
      return TensorShape.DYNAMIC;
    }
    int span = side + 2 * padding - kernel;
    int out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
    if (ceil && (long) (out - 1) * stride >= side + padding) {
      out--;
    }
    return out;
  }

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape in = Primitive.featureMap(inputs, "pool");
    return in.resized(side(in.height(), kernel, stride, padding, ceil),
        side(in.width(), kernel, stride, padding, ceil), stride);
  }

  @Override
  public String describe() {
    return kind.name().toLowerCase(Locale.ROOT) + " pool " + kernel + "x" + kernel
        + (stride > 1 ? " /" + stride : "") + (ceil ? " ceil" : "");
  }
}
