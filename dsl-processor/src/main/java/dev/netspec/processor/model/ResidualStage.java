package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code @Residual}: torchvision's BasicBlock or Bottleneck (ResNeXt with groups and base width),
 * or He et al.'s pre-activation blocks, repeated; the first block carries the stride and the
 * shortcut projection. Its modifiers: a squeeze-and-excitation gate on the residual branch before
 * the add, and a selective kernel or split-attention unit in place of the 3×3 convolution (the
 * first one of a BASIC block, as timm's SelectiveKernelBasic).
 */
public record ResidualStage(
    int blocks, int planes, Block block, int stride, int groups, int baseWidth, boolean preact,
    double dropout, Downsample downsample, Act act, Optional<SqueezeExciteUnit> squeezeExcite,
    Optional<AttentionConv> attentionConv) implements Stage {

  /** A stage without modifiers. */
  public ResidualStage(int blocks, int planes, Block block, int stride, int groups, int baseWidth,
      boolean preact, double dropout, Downsample downsample, Act act) {
    this(blocks, planes, block, stride, groups, baseWidth, preact, dropout, downsample, act,
        Optional.empty(), Optional.empty());
  }

  @Override
  public String kind() {
    return "Residual";
  }

  /** The kind with its modifiers: "Residual + SK 2 branches + SE 1/16". */
  @Override
  public String description() {
    return kind() + modifiers();
  }

  /** " + SK 2 branches", " + split attention radix 2", " + SE 1/16", or "" without modifiers. */
  public String modifiers() {
    String conv = attentionConv.map(unit -> unit instanceof SelectiveKernel sk
        ? " + SK " + sk.branches() + " branches"
        : " + split attention radix " + ((SplitAttention) unit).radix()).orElse("");
    return conv + squeezeExcite.map(se -> " + SE 1/" + se.reduction()).orElse("");
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
    Rules rules = attributes(new Rules(kind()).featureMap(in));
    checkModifiers(rules, in.flat() ? OptionalInt.empty() : OptionalInt.of(in.channels()));
    return rules.list();
  }

  @Override
  public List<Problem> checkSettings() {
    Rules rules = attributes(new Rules(kind()));
    checkModifiers(rules, OptionalInt.empty());
    return rules.list();
  }

  private Rules attributes(Rules rules) {
    rules.positive("blocks", blocks).positive("planes", planes).positive("stride", stride)
        .positive("groups", groups).positive("baseWidth", baseWidth).rate("dropout", dropout);
    if (block == Block.BASIC && groups != 1 && rules.valid("groups")) {
      rules.add("groups", "a BASIC block has no grouped convolution (groups = " + groups
          + "); use groups = 1, or block = Block.BOTTLENECK for ResNeXt");
    }
    if (block == Block.BASIC && baseWidth != 64 && rules.valid("baseWidth")) {
      rules.add("baseWidth", "a BASIC block has no base width (baseWidth = " + baseWidth
          + "); use baseWidth = 64, or block = Block.BOTTLENECK for ResNeXt");
    }
    if (block == Block.BOTTLENECK && rules.valid("planes", "baseWidth")
        && planes * baseWidth / 64 == 0) {
      rules.add("baseWidth", "planes × baseWidth / 64 = " + planes + " × " + baseWidth
          + " / 64 leaves 0 channels per group; use baseWidth ≥ " + ceilDiv(64, planes));
    }
    if (downsample == Downsample.AVG_CONV && stride > 2) {
      rules.add("downsample", "Downsample.AVG_CONV pools 2×2, so its stride must be 1 or 2, not "
          + stride + "; use Downsample.CONV");
    }
    return rules;
  }

  /**
   * The modifiers' own settings always; how the attention unit fits the block only where the
   * block's widths are valid and known: a BASIC block's first unit takes the stage's input
   * ({@code inChannels}, empty where unknown).
   */
  private void checkModifiers(Rules rules, OptionalInt inChannels) {
    squeezeExcite.ifPresent(se -> se.check().forEach(rules::add));
    if (attentionConv.isEmpty()) {
      return;
    }
    AttentionConv unit = attentionConv.get();
    String label = "@" + unit.kind();
    if (preact) {
      rules.add(Problem.onModifier(unit.kind(), null, label + " replaces the 3×3"
          + " conv-BN-activation of a post-activation block; pre-activation blocks (preact = true)"
          + " have none: remove preact = true or " + label));
    } else if (unit instanceof SplitAttention && block == Block.BASIC) {
      rules.add(Problem.onModifier(unit.kind(), null, label + " modifies bottleneck blocks,"
          + " as ResNeSt's; use block = Block.BOTTLENECK, or remove " + label));
    } else if (rules.valid("planes", "groups", "baseWidth")
        && (block == Block.BOTTLENECK || inChannels.isPresent())) {
      int in = block == Block.BASIC ? inChannels.getAsInt() : width();
      unit.check(in, width(), groups).forEach(rules::add);
    } else {
      unit.checkSettings().forEach(rules::add);
    }
  }

  @Override
  public Optional<String> strideAttribute() {
    return Optional.of("stride");
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
    int o = out.channels();
    Cost cost = preact
        ? preactBranch(c, o, in.area(), out.area())
        : branch(c, o, in.area(), out.area());
    if (squeezeExcite.isPresent()) {
      cost = cost.plus(squeezeExcite.get().cost(o));
    }
    if (project) {
      cost = cost.plus(Arithmetic.conv(c, o, 1, 1, false, out.area()));
      if (!preact) {
        cost = cost.plus(Arithmetic.batchNorm(o));
      }
    }
    return cost;
  }

  /** The residual branch of a post-activation block, with the activation after the add. */
  private Cost branch(int c, int o, long inArea, long outArea) {
    int w = width();
    if (block == Block.BOTTLENECK) {
      return Arithmetic.conv(c, w, 1, 1, false, inArea).plus(Arithmetic.normAct(act, w))
          .plus(kernelUnit(w, inArea, outArea))
          .plus(Arithmetic.conv(w, o, 1, 1, false, outArea))
          .plus(Arithmetic.batchNorm(o)).plus(Arithmetic.activation(act, o));
    }
    return kernelUnit(c, inArea, outArea)
        .plus(Arithmetic.conv(w, w, 3, 1, false, outArea))
        .plus(Arithmetic.batchNorm(w)).plus(Arithmetic.activation(act, w));
  }

  /** The (first) 3×3 conv-BN-activation from {@code in} channels, or what a modifier makes it. */
  private Cost kernelUnit(int in, long inArea, long outArea) {
    int w = width();
    if (attentionConv.isPresent()) {
      return attentionConv.get().cost(in, w, inArea, outArea, act);
    }
    int g = block == Block.BOTTLENECK ? groups : 1;
    return Arithmetic.conv(in, w, 3, g, false, outArea).plus(Arithmetic.normAct(act, w));
  }

  /** The residual branch of a pre-activation block: BN-activation before each convolution. */
  private Cost preactBranch(int c, int o, long inArea, long outArea) {
    int w = width();
    if (block == Block.BOTTLENECK) {
      return Arithmetic.conv(c, w, 1, 1, false, inArea)
          .plus(Arithmetic.conv(w, w, 3, groups, false, outArea))
          .plus(Arithmetic.conv(w, o, 1, 1, false, outArea))
          .plus(Arithmetic.normAct(act, c)).plus(Arithmetic.normAct(act, w))
          .plus(Arithmetic.normAct(act, w));
    }
    return Arithmetic.conv(c, w, 3, 1, false, outArea)
        .plus(Arithmetic.conv(w, w, 3, 1, false, outArea))
        .plus(Arithmetic.normAct(act, c)).plus(Arithmetic.normAct(act, w));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
