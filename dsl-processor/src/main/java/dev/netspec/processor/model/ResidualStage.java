package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import java.util.List;

/**
 * {@code @Residual}: torchvision's BasicBlock or Bottleneck (ResNeXt with groups and base width),
 * or He et al.'s pre-activation blocks, repeated; the first block carries the stride and the
 * shortcut projection.
 */
public record ResidualStage(
    int blocks, int planes, Block block, int stride, int groups, int baseWidth, boolean preact,
    double dropout, Downsample downsample, Act act) implements Stage {

  @Override
  public String kind() {
    return "Residual";
  }

  public int expansion() {
    return block == Block.BOTTLENECK ? 4 : 1;
  }

  /** Channels of the 3×3 convolution: torchvision's {@code int(planes * base_width / 64) * groups}. */
  public int width() {
    return block == Block.BOTTLENECK ? planes * baseWidth / 64 * groups : planes;
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind()).featureMap(in).positive("blocks", blocks)
        .positive("planes", planes).positive("stride", stride).positive("groups", groups)
        .positive("baseWidth", baseWidth).rate("dropout", dropout);
    if (!rules.ok()) {
      return rules.list();
    }
    if (block == Block.BASIC && groups != 1) {
      rules.add("groups", "a BASIC block has no grouped convolution (groups = " + groups
          + "); use groups = 1, or block = Block.BOTTLENECK for ResNeXt");
    }
    if (block == Block.BASIC && baseWidth != 64) {
      rules.add("baseWidth", "a BASIC block has no base width (baseWidth = " + baseWidth
          + "); use baseWidth = 64, or block = Block.BOTTLENECK for ResNeXt");
    }
    if (block == Block.BOTTLENECK && planes * baseWidth / 64 == 0) {
      rules.add("baseWidth", "planes × baseWidth / 64 = " + planes + " × " + baseWidth
          + " / 64 leaves 0 channels per group; use baseWidth ≥ " + ceilDiv(64, planes));
    }
    if (downsample == Downsample.AVG_CONV && stride > 2) {
      rules.add("downsample", "Downsample.AVG_CONV pools 2×2, so its stride must be 1 or 2, not "
          + stride + "; use Downsample.CONV");
    }
    return rules.list();
  }

  @Override
  public TensorShape output(TensorShape in) {
    return in.resized(
        Arithmetic.convSide(in.height(), 3, stride, 1, 1),
        Arithmetic.convSide(in.width(), 3, stride, 1, 1), stride)
        .withChannels(planes * expansion());
  }

  @Override
  public Cost cost(TensorShape in) {
    Cost total = Cost.NONE;
    TensorShape x = in;
    for (int i = 0; i < blocks; i++) {
      int s = i == 0 ? stride : 1;
      TensorShape y = x.resized(
          Arithmetic.convSide(x.height(), 3, s, 1, 1), Arithmetic.convSide(x.width(), 3, s, 1, 1), s)
          .withChannels(planes * expansion());
      total = total.plus(blockCost(x, y, s != 1 || x.channels() != y.channels()));
      x = y;
    }
    return total;
  }

  private Cost blockCost(TensorShape in, TensorShape out, boolean project) {
    int c = in.channels();
    int w = width();
    long inArea = in.area();
    long outArea = out.area();
    Cost cost = Cost.NONE;
    if (block == Block.BOTTLENECK) {
      cost = cost.plus(Arithmetic.conv(c, w, 1, 1, false, inArea))
          .plus(Arithmetic.conv(w, w, 3, groups, false, outArea))
          .plus(Arithmetic.conv(w, out.channels(), 1, 1, false, outArea));
      cost = preact
          ? cost.plus(Arithmetic.normAct(act, c)).plus(Arithmetic.normAct(act, w)).plus(Arithmetic.normAct(act, w))
          : cost.plus(Arithmetic.normAct(act, w)).plus(Arithmetic.normAct(act, w))
              .plus(Arithmetic.batchNorm(out.channels())).plus(Arithmetic.activation(act, out.channels()));
    } else {
      cost = cost.plus(Arithmetic.conv(c, w, 3, 1, false, outArea))
          .plus(Arithmetic.conv(w, w, 3, 1, false, outArea));
      cost = preact
          ? cost.plus(Arithmetic.normAct(act, c)).plus(Arithmetic.normAct(act, w))
          : cost.plus(Arithmetic.normAct(act, w)).plus(Arithmetic.batchNorm(w))
              .plus(Arithmetic.activation(act, w));
    }
    if (project) {
      cost = cost.plus(Arithmetic.conv(c, out.channels(), 1, 1, false, outArea));
      if (!preact) {
        cost = cost.plus(Arithmetic.batchNorm(out.channels()));
      }
    }
    return cost;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
