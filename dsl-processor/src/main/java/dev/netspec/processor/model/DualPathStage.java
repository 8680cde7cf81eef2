package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Slice;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code @DualPath}: timm's DPN blocks. The first block projects its input (BN-act-1×1 to {@code
 * width + 2·inc}, 'proj' at stride 1, 'down' at stride 2); every block is BN-act-1×1 to R,
 * BN-act-3×3 grouped to R (the stride on the first block), BN-act-1×1 to {@code width + inc},
 * whose first {@code width} channels add to the residual path and last {@code inc} concatenate
 * to the dense path.
 *
 * <p>k_R is what the DPN paper and timm mean by it: the grouped 3×3's width R in the network's
 * first dual-path stage, which grows with the residual width from stage to stage, so that {@code
 * R = kR × width / firstWidth}. The large DPNs start at width 256 (DPN-92's k_R = 96 gives R =
 * 96, 192, 384, 768), the small ones at 64 (DPN-68's k_R = 128 gives R = 128 … 1024).
 *
 * @param groups the annotation's {@code G}
 * @param se a squeeze-excite gate on each block's residual part, before the add
 * @param firstWidth the residual width of the first {@code @DualPath} stage of the spec this
 *     stage is declared in (its own where it is the first)
 */
public record DualPathStage(
    int blocks, int width, int inc, int kR, int groups, int stride, Optional<SqueezeExciteUnit> se,
    Act act, int firstWidth) implements Stage {

  /** A stage that is the first of its spec, or stands alone: R = kR. */
  public DualPathStage(int blocks, int width, int inc, int kR, int groups, int stride,
      Optional<SqueezeExciteUnit> se, Act act) {
    this(blocks, width, inc, kR, groups, stride, se, act, width);
  }

  /**
   * Refers k_R to the width of the spec's first {@code @DualPath} stage. Where the first's width
   * is invalid (reported), the stage keeps its own.
   */
  @Override
  public Stage among(List<NamedStage> spec) {
    return spec.stream().map(NamedStage::stage).filter(DualPathStage.class::isInstance)
        .map(s -> ((DualPathStage) s).width()).findFirst().filter(w -> w > 0)
        .<Stage>map(this::withFirstWidth).orElse(this);
  }

  private DualPathStage withFirstWidth(int newFirstWidth) {
    return new DualPathStage(blocks, width, inc, kR, groups, stride, se, act, newFirstWidth);
  }

  @Override
  public String kind() {
    return "DualPath";
  }

  /** "DualPath res 256 + dense 80": the two paths' widths at the stage's output. */
  @Override
  public String description() {
    return kind() + " res " + width + " + dense " + dense()
        + se.map(gate -> " + SE 1/" + gate.reduction()).orElse("");
  }

  /** R = kR × width / firstWidth: the channels of the grouped 3×3 convolution. */
  public int bottleneckWidth() {
    return (int) ((long) kR * width / firstWidth);
  }

  /** The dense path's channels at the stage's output. */
  public int dense() {
    return (blocks + 2) * inc;
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return attributes(new Rules(kind()).featureMap(in)).list();
  }

  @Override
  public List<Problem> checkSettings() {
    return attributes(new Rules(kind())).list();
  }

  private Rules attributes(Rules rules) {
    rules.repeats("blocks", blocks).positive("width", width).positive("inc", inc)
        .positive("kR", kR).positive("G", groups).positive("stride", stride);
    se.ifPresent(gate -> gate.check().forEach(rules::add));
    if (stride > 2) {
      rules.add("stride", "@DualPath(stride = " + stride + "): the first block is 'proj' at"
          + " stride 1 or 'down' at stride 2; use stride = 1 or 2");
    }
    if (!rules.valid("kR", "width")) {
      return rules;
    }
    long product = (long) kR * width;
    if (product % firstWidth != 0) {
      int step = firstWidth / Arithmetic.gcd(width, firstWidth);
      int suggestion = Math.max(step, Math.round((float) kR / step) * step);
      rules.add("kR", "kR × width / firstWidth = " + kR + " × " + width + " / " + firstWidth
          + " = " + String.format(Locale.ROOT, "%.2f", product / (double) firstWidth)
          + " is not a whole number of channels for the grouped 3×3 (R grows with the width from"
          + " the first @DualPath stage's " + firstWidth + "); with width = " + width
          + " use a multiple of " + step + ", such as kR = " + suggestion);
    } else if (rules.valid("G") && bottleneckWidth() % groups != 0) {
      int r = bottleneckWidth();
      rules.add("G", "the grouped 3×3's R = kR × width / firstWidth = " + kR + " × " + width
          + " / " + firstWidth + " = " + r + " channels cannot be split into G = " + groups
          + " groups; use a divisor of " + r + ", such as G = "
          + Arithmetic.nearestDivisor(r, groups));
    }
    return rules;
  }

  @Override
  public Optional<String> strideAttribute() {
    return Optional.of("stride");
  }

  /**
   * timm's names: the projection {@code 1.c1x1_w_s1} (or {@code _s2}), then in every block {@code
   * c1x1_a}, {@code c3x3_b}, {@code c1x1_c} and {@code se}, each a pre-activation unit ({@code
   * bn}, {@code act}, {@code conv}).
   */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    int projected = unit(g, "1." + (stride == 1 ? "c1x1_w_s1" : "c1x1_w_s2"),
        Conv.of(width + 2 * inc, 1, stride), Graph.INPUT);
    int residual = g.add("1.residual", new Slice(0, width), projected);
    int dense = g.add("1.dense", new Slice(width, 2 * inc), projected);
    int x = Graph.INPUT;
    for (int i = 1; i <= blocks; i++) {
      String block = Integer.toString(i);
      int y = unit(g, block + ".c1x1_a", Conv.of(bottleneckWidth(), 1, 1), x);
      y = unit(g, block + ".c3x3_b",
          Conv.of(bottleneckWidth(), 3, i == 1 ? stride : 1).grouped(groups), y);
      y = unit(g, block + ".c1x1_c", Conv.of(width + inc, 1, 1), y);
      int part = g.add(block + ".residual_part", new Slice(0, width), y);
      if (se.isPresent()) {
        part = se.get().expand(g, block + ".se", part, width);
      }
      residual = g.add(block + ".add", new Add(), residual, part);
      int grown = g.add(block + ".dense_part", new Slice(width, inc), y);
      dense = g.add(block + ".concat_dense", new Concat(), dense, grown);
      x = g.add(block + ".concat", new Concat(), residual, dense);
    }
    return g.build(x);
  }

  /** A pre-activation unit: BN-act on its input, then the convolution. */
  private int unit(Graph.Builder g, String scope, Conv conv, int x) {
    return Units.convUnit(g, scope, conv, Norm.BATCH, act, Order.NORM_ACT_CONV, x);
  }
}
