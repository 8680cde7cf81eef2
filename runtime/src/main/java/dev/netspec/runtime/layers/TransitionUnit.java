package dev.netspec.runtime.layers;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * DenseNet's transition: {@code norm}-act-{@code conv} 1×1 to {@code channels} (or {@code
 * conv}-{@code norm}-act with {@link UnitOrder#CONV_NORM_ACT}), dropout, then a 2×2 pool with
 * stride 2. The activation (scope {@code act}) is the network's default.
 */
public record TransitionUnit(
    int channels, Pooling pool, boolean ceil, float dropout, UnitOrder order) {

  public TransitionUnit {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(order, "order");
    ConvUnit.check(channels >= 1, "channels must be >= 1, got " + channels);
    ConvUnit.check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
  }

  /** Average pooling, floor mode, no dropout, pre-activation. */
  public static TransitionUnit of(int channels) {
    return new TransitionUnit(channels, Pooling.AVG, false, 0f, UnitOrder.NORM_ACT_CONV);
  }

  public TransitionUnit pool(Pooling pool) {
    return new TransitionUnit(channels, pool, ceil, dropout, order);
  }

  public TransitionUnit ceil(boolean ceil) {
    return new TransitionUnit(channels, pool, ceil, dropout, order);
  }

  public TransitionUnit dropout(float dropout) {
    return new TransitionUnit(channels, pool, ceil, dropout, order);
  }

  public TransitionUnit order(UnitOrder order) {
    return new TransitionUnit(channels, pool, ceil, dropout, order);
  }

  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
    Operand<TFloat32> y = DenseStage.unit(scope, "", x, channels, 1, order);
    y = scope.dropout(y, dropout);
    return scope.pool(y, pool, 2, 2, 0, ceil);
  }
}
