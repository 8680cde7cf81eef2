package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Activation;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Gate;
import dev.netspec.processor.ir.GlobalPool;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.RadixSoftmax;
import dev.netspec.processor.ir.Slice;
import dev.netspec.processor.ir.WeightedSum;
import java.util.Arrays;
import java.util.List;

/**
 * {@code @SplitAttention} (ResNeSt, Zhang et al. 2020), as timm's {@code SplitAttn} in {@code
 * resnest50d}: a 3×3 conv (no bias) to {@code radix × C} in {@code radix × cardinality} groups,
 * BN-ReLU, the radix splits summed and pooled, a 1×1 conv with bias to {@link #attentionChannels}
 * ({@code cardinality} groups), BN-ReLU, a 1×1 conv with bias to {@code radix × C} ({@code
 * cardinality} groups), softmax across the radix (sigmoid when {@code radix = 1}), weighted sum of
 * the splits. In a strided block the conv keeps stride 1 and a 3×3 average pool carries the stride
 * ('avd').
 */
public record SplitAttention(int radix, int cardinality, int reduction) implements AttentionConv {
  public static final String KIND = "SplitAttention";

  /** Attention widths are multiples of this, and at least {@link #MIN_ATTENTION}, as in timm. */
  static final int DIVISOR = 8;

  static final int MIN_ATTENTION = 32;

  @Override
  public String kind() {
    return KIND;
  }

  /** timm's {@code make_divisible(C · radix / reduction, 8, 32)}. */
  public int attentionChannels(int channels) {
    return Arithmetic.makeDivisible(channels * radix * (1.0 / reduction), DIVISOR, MIN_ATTENTION);
  }

  @Override
  public List<Problem> checkSettings() {
    return settings().list();
  }

  private Rules settings() {
    return Rules.modifier(KIND).positive("radix", radix).positive("cardinality", cardinality)
        .positive("reduction", reduction);
  }

  @Override
  public List<Problem> check(int in, int out, int residualGroups) {
    Rules rules = settings();
    if (!rules.ok()) {
      // every rule below divides by the cardinality or the radix, or needs the reduction
      return rules.list();
    }
    if (residualGroups != 1 && residualGroups != cardinality) {
      return rules.add("cardinality", "@SplitAttention(cardinality = " + cardinality
          + ") differs from @Residual(groups = " + residualGroups + "), whose grouped 3×3"
          + " convolution it replaces; set cardinality = " + residualGroups
          + ", or leave @Residual(groups) at 1").list();
    }
    if (out % cardinality != 0) {
      return rules.add("cardinality", "@SplitAttention(cardinality = " + cardinality
          + ") cannot split the " + out + " channels of the 3×3 convolution into " + cardinality
          + " cardinal groups; try cardinality = " + Arithmetic.nearestDivisor(out, cardinality))
          .list();
    }
    if (out / cardinality % radix != 0) {
      return rules.add("radix", "@SplitAttention(radix = " + radix + ", cardinality = "
          + cardinality + ") needs radix × cardinality = " + radix * cardinality
          + " groups of the " + out + " channels of the 3×3 convolution, which they do not"
          + " divide; try radix = " + Arithmetic.nearestDivisor(out / cardinality, radix)).list();
    }
    int attention = attentionChannels(out);
    if (attention % cardinality != 0) {
      rules.add("cardinality", "@SplitAttention(cardinality = " + cardinality + ") cannot split"
          + " the " + attention + " channels of the attention (" + out + " × " + radix + " / "
          + reduction + ", a multiple of 8, at least 32) into " + cardinality
          + " cardinal groups; try cardinality = "
          + Arithmetic.nearestDivisor(Arithmetic.gcd(attention, out), cardinality));
    }
    return rules.list();
  }

  /**
   * timm's names: {@code conv}, {@code bn0}, {@code fc1}, {@code bn1}, {@code fc2}. The
   * activations are ReLU whatever the network's, as in timm.
   */
  @Override
  public int expand(Graph.Builder g, String scope, int x, int channels, int stride, Act act) {
    int mid = channels * radix;
    int y = g.add(Graph.join(scope, "conv"),
        Conv.of(mid, 3, stride).grouped(radix * cardinality), x);
    y = Units.normAct(g, Graph.join(scope, "bn0"), Graph.join(scope, "relu0"), Act.RELU, y);
    int[] parts = new int[radix + 1];
    for (int r = 0; r < radix; r++) {
      parts[r] = radix == 1 ? y
          : g.add(Graph.join(scope, "split" + r), new Slice(r * channels, channels), y);
    }
    int z = radix == 1 ? y
        : g.add(Graph.join(scope, "sum"), new Add(), Arrays.copyOf(parts, radix));
    z = g.add(Graph.join(scope, "pool"), new GlobalPool(PoolKind.AVG, true), z);
    z = g.add(Graph.join(scope, "fc1"),
        Conv.of(attentionChannels(channels), 1, 1).grouped(cardinality).biased(), z);
    z = Units.normAct(g, Graph.join(scope, "bn1"), Graph.join(scope, "relu1"), Act.RELU, z);
    z = g.add(Graph.join(scope, "fc2"), Conv.of(mid, 1, 1).grouped(cardinality).biased(), z);
    if (radix == 1) {
      z = g.add(Graph.join(scope, "sigmoid"), new Activation(Act.SIGMOID), z);
      return g.add(Graph.join(scope, "scale"), new Gate(), y, z);
    }
    parts[radix] = g.add(Graph.join(scope, "softmax"), new RadixSoftmax(radix, cardinality), z);
    return g.add(Graph.join(scope, "select"), new WeightedSum(), parts);
  }
}
