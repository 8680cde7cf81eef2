package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A split-attention convolution (ResNeSt, Zhang et al. 2020), as timm's {@code SplitAttn}: a 3×3
 * conv without bias to {@code radix · C} channels in {@code radix · cardinality} groups, BN, ReLU;
 * the {@code radix} splits (radix-major: split {@code r} is channels {@code [r·C, (r+1)·C)})
 * summed and pooled; a 1×1 conv with bias to {@link #attentionChannels} ({@code cardinality}
 * groups), BN, ReLU; a 1×1 conv with bias to {@code radix · C} ({@code cardinality} groups); the
 * softmax across the radix within each cardinal group (a sigmoid when {@code radix = 1}); the
 * splits weighted by it and summed.
 *
 * <p>Variables follow timm: {@code conv.weight}, {@code bn0.*}, {@code fc1.weight}, {@code
 * fc1.bias}, {@code bn1.*}, {@code fc2.weight}, {@code fc2.bias}.
 */
public record SplitAttentionConv(int radix, int cardinality, int reduction) {

  /** Attention widths are multiples of this and at least {@link #MIN_ATTENTION}, as in timm. */
  static final int DIVISOR = 8;

  static final int MIN_ATTENTION = 32;

  public SplitAttentionConv {
    ConvUnit.check(radix >= 1, "split attention radix must be >= 1, got " + radix);
    ConvUnit.check(cardinality >= 1, "split attention cardinality must be >= 1, got " + cardinality);
    ConvUnit.check(reduction >= 1, "split attention reduction must be >= 1, got " + reduction);
  }

  /** Radix 2, cardinality 1, reduction 4: the DSL's defaults and ResNeSt-50's. */
  public static SplitAttentionConv of() {
    return new SplitAttentionConv(2, 1, 4);
  }

  /** timm's {@code make_divisible(channels · radix / reduction, 8, 32)}. */
  public int attentionChannels(int channels) {
    return Squeeze.makeDivisible(channels * radix * (1.0 / reduction), DIVISOR, MIN_ATTENTION);
  }

  /** The unit from the channels of {@code x} to {@code channels}, at {@code stride}. */
  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x, int channels, int stride) {
    ConvUnit.check(channels % (radix * cardinality) == 0, "split attention: radix " + radix
        + " × cardinality " + cardinality + " must divide the " + channels + " channels");
    int attention = attentionChannels(channels);
    ConvUnit.check(attention % cardinality == 0, "split attention: cardinality " + cardinality
        + " must divide the " + attention + " attention channels");
    Ops tf = scope.tf();
    int mid = channels * radix;
    Operand<TFloat32> y =
        scope.in("conv").conv(x, mid, 3, stride, 1, 1, radix * cardinality, false);
    y = scope.activation(scope.in("bn0").batchNorm(y, scope.epsilon(), ConvUnit.MOMENTUM),
        Nonlinearity.RELU);
    List<Operand<TFloat32>> splits = radix == 1 ? List.of(y) : split(tf, y, radix);
    Operand<TFloat32> z = Squeeze.spatialMean(tf, Squeeze.sum(tf, splits));
    z = scope.in("fc1").conv(z, attention, 1, 1, 0, 1, cardinality, true);
    z = tf.nn.relu(scope.in("bn1").batchNorm(z, scope.epsilon(), ConvUnit.MOMENTUM));
    Operand<TFloat32> logits = scope.in("fc2").conv(z, mid, 1, 1, 0, 1, cardinality, true);
    if (radix == 1) {
      return tf.math.mul(y, tf.math.sigmoid(logits));
    }
    List<Operand<TFloat32>> weights = Squeeze.softmaxAcross(tf, radixMajor(tf, logits, channels),
        radix, channels);
    List<Operand<TFloat32>> weighted = new ArrayList<>(radix);
    for (int r = 0; r < radix; r++) {
      weighted.add(tf.math.mul(splits.get(r), weights.get(r)));
    }
    return Squeeze.sum(tf, weighted);
  }

  /**
   * fc2's logits, cardinal-group-major ({@code [N, 1, 1, cardinality · radix · C/cardinality]}),
   * as {@code [N, radix, C]}: timm's {@code RadixSoftmax} view and transpose.
   */
  private Operand<TFloat32> radixMajor(Ops tf, Operand<TFloat32> logits, int channels) {
    int perGroup = channels / cardinality;
    Operand<TFloat32> grouped = tf.reshape(logits,
        tf.constant(new int[] {-1, cardinality, radix, perGroup}));
    Operand<TFloat32> byRadix =
        tf.linalg.transpose(grouped, tf.constant(new int[] {0, 2, 1, 3}));
    return tf.reshape(byRadix, tf.constant(new int[] {-1, radix, channels}));
  }

  private static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> y, int parts) {
    List<Operand<TFloat32>> splits = new ArrayList<>(parts);
    for (Output<TFloat32> part : tf.split(tf.constant(3), y, (long) parts).output()) {
      splits.add(part);
    }
    return splits;
  }
}
