package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.BatchNorm;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Dropout;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Pool;
import dev.netspec.processor.ir.TensorShape;
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
    rules.repeats("blocks", blocks).positive("planes", planes).positive("stride", stride)
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

  /**
   * torchvision's blocks {@code 0}, {@code 1}, …: {@code conv1}, {@code bn1}, {@code act1}, … and
   * the shortcut projection {@code downsample.*}, with the modifiers in {@code se} and in place of
   * the 3×3 convolution's scope.
   */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    int x = Graph.INPUT;
    int channels = in.channels();
    for (int i = 0; i < blocks; i++) {
      String block = Integer.toString(i);
      int s = i == 0 ? stride : 1;
      boolean project = s != 1 || channels != planes * expansion();
      x = preact ? preactBlock(g, block, x, s, project) : block(g, block, x, s, project);
      if (dropout > 0) {
        x = g.add(block + ".dropout", new Dropout(dropout), x);
      }
      channels = planes * expansion();
    }
    return g.build(x);
  }

  /** A post-activation block: the branch, its gate, the shortcut, the add and the activation. */
  private int block(Graph.Builder g, String b, int x, int s, boolean project) {
    int y;
    String lastAct;
    if (block == Block.BOTTLENECK) {
      y = g.add(b + ".conv1", Conv.of(width(), 1, 1), x);
      y = Units.normAct(g, b + ".bn1", b + ".act1", act, y);
      y = bottleneckKernel(g, b, y, s);
      y = g.add(b + ".conv3", Conv.of(planes * expansion(), 1, 1), y);
      y = g.add(b + ".bn3", new BatchNorm(), y);
      lastAct = b + ".act3";
    } else {
      if (attentionConv.isPresent()) {
        y = attentionConv.get().expand(g, b + ".conv1", x, planes, s, act);
      } else {
        y = g.add(b + ".conv1", Conv.of(planes, 3, s), x);
        y = Units.normAct(g, b + ".bn1", b + ".act1", act, y);
      }
      y = g.add(b + ".conv2", Conv.of(planes, 3, 1), y);
      y = g.add(b + ".bn2", new BatchNorm(), y);
      lastAct = b + ".act2";
    }
    y = excite(g, b, y);
    int shortcut = project ? projection(g, b, x, s, true) : x;
    return Units.act(g, lastAct, act, g.add(b + ".add", new Add(), y, shortcut));
  }

  /** The bottleneck's 3×3 conv-BN-act at stride {@code s}, or the unit a modifier puts there. */
  private int bottleneckKernel(Graph.Builder g, String b, int y, int s) {
    if (attentionConv.isEmpty()) {
      y = g.add(b + ".conv2", Conv.of(width(), 3, s).grouped(groups), y);
      return Units.normAct(g, b + ".bn2", b + ".act2", act, y);
    }
    if (attentionConv.get() instanceof SplitAttention) {
      // split attention convolves at stride 1; a 3×3 average pool carries the stride ('avd')
      int z = attentionConv.get().expand(g, b + ".conv2", y, width(), 1, act);
      return s > 1 ? g.add(b + ".avd_last", new Pool(PoolKind.AVG, 3, s, 1, false, true), z) : z;
    }
    return attentionConv.get().expand(g, b + ".conv2", y, width(), s, act);
  }

  /**
   * The shortcut's 1×1 projection at stride {@code s}, after a 2×2 average pool with {@link
   * Downsample#AVG_CONV} (ResNet-D); with a BatchNorm in post-activation blocks.
   */
  private int projection(Graph.Builder g, String b, int x, int s, boolean norm) {
    String down = b + ".downsample";
    int index = 0;
    int y = x;
    int convStride = s;
    if (downsample == Downsample.AVG_CONV) {
      if (s > 1) {
        y = g.add(down + ".0", new Pool(PoolKind.AVG, 2, s, 0, true, false), y);
      }
      index = 1;
      convStride = 1;
    }
    y = g.add(down + "." + index, Conv.of(planes * expansion(), 1, convStride), y);
    return norm ? g.add(down + "." + (index + 1), new BatchNorm(), y) : y;
  }

  /** The residual branch scaled by its squeeze-and-excitation gate, if the stage has one. */
  private int excite(Graph.Builder g, String b, int y) {
    return squeezeExcite.isEmpty() ? y
        : squeezeExcite.get().expand(g, b + ".se", y, planes * expansion());
  }

  /** He et al.'s pre-activation block: BN-act before each convolution, nothing after the add. */
  private int preactBlock(Graph.Builder g, String b, int x, int s, boolean project) {
    int pre = Units.normAct(g, b + ".bn1", b + ".act1", act, x);
    int shortcut = project ? projection(g, b, pre, s, false) : x;
    int y;
    if (block == Block.BOTTLENECK) {
      y = g.add(b + ".conv1", Conv.of(width(), 1, 1), pre);
      y = Units.normAct(g, b + ".bn2", b + ".act2", act, y);
      y = g.add(b + ".conv2", Conv.of(width(), 3, s).grouped(groups), y);
      y = Units.normAct(g, b + ".bn3", b + ".act3", act, y);
      y = g.add(b + ".conv3", Conv.of(planes * expansion(), 1, 1), y);
    } else {
      y = g.add(b + ".conv1", Conv.of(planes, 3, s), pre);
      y = Units.normAct(g, b + ".bn2", b + ".act2", act, y);
      y = g.add(b + ".conv2", Conv.of(planes, 3, 1), y);
    }
    return g.add(b + ".add", new Add(), excite(g, b, y), shortcut);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
