package dev.netspec.runtime.layers;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Global pooling, dropout and a linear layer with bias: {@code [N, H, W, C] -> [N, classes]}.
 * Variables {@code weight} {@code [C, classes]} and {@code bias} sit directly in the scope.
 */
public record ClassifierHead(int classes, Pooling pool, float dropout) {

  public ClassifierHead {
    Objects.requireNonNull(pool, "pool");
    ConvUnit.check(classes >= 1, "classes must be >= 1, got " + classes);
    ConvUnit.check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
  }

  /** Average pooling, no dropout. */
  public static ClassifierHead of(int classes) {
    return new ClassifierHead(classes, Pooling.AVG, 0f);
  }

  public ClassifierHead pool(Pooling pool) {
    return new ClassifierHead(classes, pool, dropout);
  }

  public ClassifierHead dropout(float dropout) {
    return new ClassifierHead(classes, pool, dropout);
  }

  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
    Operand<TFloat32> y = scope.globalPool(x, pool);
    y = scope.dropout(y, dropout);
    return scope.linear(y, classes, true);
  }
}
