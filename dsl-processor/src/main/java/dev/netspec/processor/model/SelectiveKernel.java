package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import java.util.List;

/**
 * {@code @SelectiveKernel} (SKNet, Li et al. 2019), as timm's {@code SelectiveKernel} with
 * {@code split_input = False}: {@code branches} grouped 3×3 conv-BN-act paths of dilation 1, 2, …
 * (padding = dilation, the block's stride), summed, pooled, squeezed by a 1×1 conv (no bias) to
 * {@link #attentionChannels} with BN-ReLU, expanded by a 1×1 conv (no bias) to {@code branches ×
 * C} logits, softmax across the branches, weighted sum of the paths.
 */
public record SelectiveKernel(int branches, int groups, int reduction, int minDim)
    implements AttentionConv {
  public static final String KIND = "SelectiveKernel";

  /** Attention widths are multiples of this, as timm's {@code skresnext50_32x4d} sets them. */
  static final int DIVISOR = 32;

  @Override
  public String kind() {
    return KIND;
  }

  /** timm's {@code make_divisible(C / reduction, 32, minDim)}. */
  public int attentionChannels(int channels) {
    return Arithmetic.makeDivisible(channels * (1.0 / reduction), DIVISOR, minDim);
  }

  @Override
  public List<Problem> checkSettings() {
    return settings().list();
  }

  private Rules settings() {
    return Rules.modifier(KIND).positive("branches", branches).positive("groups", groups)
        .positive("reduction", reduction).positive("minDim", minDim);
  }

  @Override
  public List<Problem> check(int in, int out, int residualGroups) {
    Rules rules = settings();
    if (!rules.valid("groups")) {
      return rules.list();
    }
    if (residualGroups != 1 && residualGroups != groups) {
      rules.add("groups", "@SelectiveKernel(groups = " + groups + ") differs from @Residual(groups = "
          + residualGroups + "), whose grouped 3×3 convolution its branches replace; set groups = "
          + residualGroups + ", or leave @Residual(groups) at 1");
    } else if (in % groups != 0 || out % groups != 0) {
      String which = in % groups != 0 ? in + " input channels" : out + " output channels";
      rules.add("groups", "@SelectiveKernel(groups = " + groups + ") cannot split the " + which
          + " of its branches into " + groups + " groups: groups must divide both the input ("
          + in + ") and output (" + out + ") channels; try groups = "
          + Arithmetic.nearestDivisor(Arithmetic.gcd(in, out), groups));
    }
    return rules.list();
  }

  @Override
  public Cost cost(int in, int out, long inArea, long outArea, Act act) {
    Cost cost = Cost.NONE;
    for (int b = 0; b < branches; b++) {
      cost = cost.plus(Arithmetic.conv(in, out, 3, groups, false, outArea))
          .plus(Arithmetic.normAct(act, out));
    }
    int attention = attentionChannels(out);
    // the attention's activation is ReLU whatever the network's, as in timm
    return cost.plus(Arithmetic.conv(out, attention, 1, 1, false, 1))
        .plus(Arithmetic.batchNorm(attention))
        .plus(Arithmetic.conv(attention, out * branches, 1, 1, false, 1));
  }
}
