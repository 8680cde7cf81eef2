package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
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

  @Override
  public Cost cost(int in, int out, long inArea, long outArea, Act act) {
    int mid = out * radix;
    int attention = attentionChannels(out);
    // stride 1 (avd pools afterwards): the conv runs at the input's resolution; the activations
    // are ReLU whatever the network's, as in timm
    return Arithmetic.conv(in, mid, 3, cardinality * radix, false, inArea)
        .plus(Arithmetic.batchNorm(mid))
        .plus(Arithmetic.conv(out, attention, 1, cardinality, true, 1))
        .plus(Arithmetic.batchNorm(attention))
        .plus(Arithmetic.conv(attention, mid, 1, cardinality, true, 1));
  }
}
