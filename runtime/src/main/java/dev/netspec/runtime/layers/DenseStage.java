package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A DenseNet dense block: {@code layers} layers named {@code denselayer1}, …, each producing
 * {@code growth} channels concatenated to its input. A layer is {@code norm1}-act-{@code conv1}
 * 1×1 to {@code bottleneck · growth}, then {@code norm2}-act-{@code conv2} 3×3 to {@code growth}
 * ({@link UnitOrder#CONV_NORM_ACT}: {@code conv1}-{@code norm1}-act, …); with {@code bottleneck =
 * 0} just {@code norm1}-act-{@code conv1} 3×3. Activations (scopes {@code act1}, {@code act2}) are
 * the network's default; dropout applies to the new features. With {@link #squeezeExcite}, a
 * {@link SqueezeExcite} gate (scope {@code se}) scales each layer's new features before the dropout
 * and the concatenation.
 */
public record DenseStage(
    int growth, int layers, int bottleneck, float dropout, UnitOrder order,
    SqueezeExcite squeezeExcite) {

  public DenseStage {
    Objects.requireNonNull(order, "order");
    ConvUnit.check(growth >= 1, "growth must be >= 1, got " + growth);
    ConvUnit.check(layers >= 1, "layers must be >= 1, got " + layers);
    ConvUnit.check(bottleneck >= 0, "bottleneck must be >= 0, got " + bottleneck);
    ConvUnit.check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
  }

  /** Bottleneck 4 (torchvision's bn_size), no dropout, pre-activation. */
  public static DenseStage of(int growth, int layers) {
    return new DenseStage(growth, layers, 4, 0f, UnitOrder.NORM_ACT_CONV, null);
  }

  /** The 1×1 layer's width in multiples of {@code growth}; 0 = no 1×1 layer. */
  public DenseStage bottleneck(int bottleneck) {
    return new DenseStage(growth, layers, bottleneck, dropout, order, squeezeExcite);
  }

  public DenseStage dropout(float dropout) {
    return new DenseStage(growth, layers, bottleneck, dropout, order, squeezeExcite);
  }

  public DenseStage order(UnitOrder order) {
    return new DenseStage(growth, layers, bottleneck, dropout, order, squeezeExcite);
  }

  /** A squeeze-and-excitation gate on each layer's new features. */
  public DenseStage squeezeExcite(SqueezeExcite squeezeExcite) {
    return new DenseStage(growth, layers, bottleneck, dropout, order, squeezeExcite);
  }

  /** The output channels for {@code in} input channels. */
  public int outputChannels(int in) {
    return in + growth * layers;
  }

  /**
   * In training (pre-activation order, ReLU or no activation) each layer's first unit is a {@link
   * RecomputingDenseUnit}: the backward pass computes {@code norm1} and {@code act1} again from
   * the concatenation, which their gradients keep anyway, rather than keeping the activation as
   * well. In a {@linkplain Layers#memoryEfficient() memory-efficient} network the first unit
   * works on the block's input and the earlier layers' new features, so that the concatenation is
   * computed again too, and the second unit recomputes {@code norm2} and {@code act2}. Otherwise
   * each layer extends the previous concatenation.
   */
  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
    boolean recomputes = scope.training() && order == UnitOrder.NORM_ACT_CONV
        && RecomputingDenseUnit.supports(scope.activation());
    boolean efficient = recomputes && scope.memoryEfficient();
    int firstChannels = bottleneck > 0 ? bottleneck * growth : growth;
    int firstKernel = bottleneck > 0 ? 1 : 3;
    List<Operand<TFloat32>> parts = new ArrayList<>(List.of(x));
    Operand<TFloat32> features = x;
    for (int i = 1; i <= layers; i++) {
      Layers layer = scope.in("denselayer" + i);
      Operand<TFloat32> y = recomputes
          ? RecomputingDenseUnit.apply(layer, "1", efficient ? parts : List.of(features),
              firstChannels, firstKernel)
          : unit(layer, "1", features, firstChannels, firstKernel, order);
      if (bottleneck > 0) {
        y = efficient
            ? RecomputingDenseUnit.apply(layer, "2", List.of(y), growth, 3)
            : unit(layer, "2", y, growth, 3, order);
      }
      if (squeezeExcite != null) {
        y = squeezeExcite.apply(layer.in("se"), y);
      }
      y = layer.dropout(y, dropout);
      parts.add(y);
      if (!efficient) {
        features = scope.concatChannels(List.of(features, y));
      }
    }
    return efficient ? scope.concatChannels(parts) : features;
  }

  /**
   * {@code norm<suffix>}-{@code act<suffix>}-{@code conv<suffix>} (or conv first), a k×k
   * convolution without bias, padding k / 2.
   */
  static Operand<TFloat32> unit(Layers scope, String suffix, Operand<TFloat32> x, int channels,
      int kernel, UnitOrder order) {
    Operand<TFloat32> y = x;
    if (order == UnitOrder.NORM_ACT_CONV) {
      y = scope.in("norm" + suffix).batchNorm(y, scope.epsilon(), ConvUnit.MOMENTUM);
      y = scope.in("act" + suffix).activation(y, scope.activation());
    }
    y = scope.in("conv" + suffix).conv(y, channels, kernel, 1, kernel / 2, 1, 1, false);
    if (order == UnitOrder.CONV_NORM_ACT) {
      y = scope.in("norm" + suffix).batchNorm(y, scope.epsilon(), ConvUnit.MOMENTUM);
      y = scope.in("act" + suffix).activation(y, scope.activation());
    }
    return y;
  }
}
