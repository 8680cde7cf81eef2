package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.GlobalPool;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.RadixSoftmax;
import dev.netspec.processor.ir.WeightedSum;
import java.util.Arrays;
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

  /** timm's names: {@code paths.<b>.conv}, {@code paths.<b>.bn}, {@code attn.fc_reduce}, … */
  @Override
  public int expand(Graph.Builder g, String scope, int x, int channels, int stride, Act act) {
    int[] parts = new int[branches];
    for (int b = 0; b < branches; b++) {
      String path = Graph.join(scope, "paths." + b);
      int dilation = b + 1;
      int y = g.add(Graph.join(path, "conv"),
          new Conv(channels, 3, stride, dilation, dilation, groups, false), x);
      parts[b] = Units.normAct(g, Graph.join(path, "bn"), Graph.join(path, "act"), act, y);
    }
    return select(g, scope, Arrays.copyOf(parts, branches), channels, attentionChannels(channels));
  }

  /**
   * timm's {@code SelectiveKernelAttn} on {@code paths} of {@code channels} channels each, and the
   * paths weighted by it and summed: sum, pool, {@code attn.fc_reduce} to {@code width}, {@code
   * attn.bn}, ReLU, {@code attn.fc_select} to one logit per path and channel, softmax across the
   * paths. Returns the weighted sum's node.
   */
  static int select(Graph.Builder g, String scope, int[] paths, int channels, int width) {
    String attn = Graph.join(scope, "attn");
    int z = g.add(Graph.join(scope, "sum"), new Add(), paths);
    z = g.add(Graph.join(attn, "pool"), new GlobalPool(PoolKind.AVG, true), z);
    z = g.add(Graph.join(attn, "fc_reduce"), Conv.of(width, 1, 1), z);
    // the attention's activation is ReLU whatever the network's, as in timm
    z = Units.normAct(g, Graph.join(attn, "bn"), Graph.join(attn, "relu"), Act.RELU, z);
    z = g.add(Graph.join(attn, "fc_select"), Conv.of(channels * paths.length, 1, 1), z);
    int[] weighted = Arrays.copyOf(paths, paths.length + 1);
    weighted[paths.length] =
        g.add(Graph.join(attn, "softmax"), new RadixSoftmax(paths.length, 1), z);
    return g.add(Graph.join(scope, "select"), new WeightedSum(), weighted);
  }
}
