package dev.netspec.processor.ir;

import dev.netspec.annotations.PoolKind;
import java.util.List;
import java.util.Locale;

/**
 * Average or maximum over height and width: {@code [N, H, W, C]} to {@code [N, C]}, or to {@code
 * [N, 1, 1, C]} with {@code keepDims} (the squeeze of an attention unit).
 */
public record GlobalPool(PoolKind kind, boolean keepDims) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape in = Primitive.featureMap(inputs, "global pool");
    return keepDims ? new TensorShape(in.channels(), in.stride(), 1, 1, false)
        : TensorShape.flat(in.channels());
  }

  @Override
  public String describe() {
    return "global " + kind.name().toLowerCase(Locale.ROOT) + " pool";
  }
}
