package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A selective kernel unit (SKNet, Li et al. 2019), as timm's {@code SelectiveKernel} with {@code
 * split_input = False} (its {@code skresnext50_32x4d}): {@code branches} paths, path {@code b} a
 * 3×3 conv of dilation and padding {@code b + 1} (the unit's stride, {@code groups} groups), BN
 * and the network's activation; the attention pools the paths' sum, squeezes it by a 1×1 conv to
 * {@link #attentionChannels} with BN-ReLU, expands it by a 1×1 conv to one logit per branch and
 * channel, takes the softmax across the branches and weights the paths by it.
 *
 * <p>Variables follow timm: {@code paths.<b>.conv.weight}, {@code paths.<b>.bn.*}, {@code
 * attn.fc_reduce.weight}, {@code attn.bn.*}, {@code attn.fc_select.weight} (branch-major
 * outputs). Dilated convolutions go through {@link Layers#conv}, whose gradient is right.
 */
public record SelectiveKernelConv(int branches, int groups, int reduction, int minDim) {

  /** Attention widths are multiples of this, as timm's {@code skresnext50_32x4d} sets them. */
  static final int DIVISOR = 32;

  public SelectiveKernelConv {
    ConvUnit.check(branches >= 1, "selective kernel branches must be >= 1, got " + branches);
    ConvUnit.check(groups >= 1, "selective kernel groups must be >= 1, got " + groups);
    ConvUnit.check(reduction >= 1, "selective kernel reduction must be >= 1, got " + reduction);
    ConvUnit.check(minDim >= 1, "selective kernel minDim must be >= 1, got " + minDim);
  }

  /** Two branches of 32 groups, reduction 16, at least 32 attention channels: the DSL's defaults. */
  public static SelectiveKernelConv of() {
    return new SelectiveKernelConv(2, 32, 16, 32);
  }

  /** timm's {@code make_divisible(channels / reduction, 32, minDim)}. */
  public int attentionChannels(int channels) {
    return Squeeze.makeDivisible(channels * (1.0 / reduction), DIVISOR, minDim);
  }

  /** The unit from the channels of {@code x} to {@code channels}, at {@code stride}. */
  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x, int channels, int stride) {
    Ops tf = scope.tf();
    List<Operand<TFloat32>> paths = new ArrayList<>(branches);
    for (int b = 0; b < branches; b++) {
      Layers path = scope.in("paths").in(Integer.toString(b));
      int dilation = b + 1;
      Operand<TFloat32> y =
          path.in("conv").conv(x, channels, 3, stride, dilation, dilation, groups, false);
      y = path.in("bn").batchNorm(y, scope.epsilon(), ConvUnit.MOMENTUM);
      paths.add(path.in("act").activation(y, scope.activation()));
    }
    Layers attn = scope.in("attn");
    Operand<TFloat32> z = Squeeze.spatialMean(tf, Squeeze.sum(tf, paths));
    z = attn.in("fc_reduce").conv(z, attentionChannels(channels), 1, 1, 0, 1, 1, false);
    z = tf.nn.relu(attn.in("bn").batchNorm(z, scope.epsilon(), ConvUnit.MOMENTUM));
    Operand<TFloat32> logits = attn.in("fc_select").conv(z, channels * branches, 1, 1, 0, 1, 1, false);
    List<Operand<TFloat32>> weights = Squeeze.softmaxAcross(tf,
        tf.reshape(logits, tf.constant(new int[] {-1, branches, channels})), branches, channels);
    List<Operand<TFloat32>> weighted = new ArrayList<>(branches);
    for (int b = 0; b < branches; b++) {
      weighted.add(tf.math.mul(paths.get(b), weights.get(b)));
    }
    return Squeeze.sum(tf, weighted);
  }
}
