package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
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
 * @param groups the annotation's {@code G}
 * @param se a squeeze-excite gate on each block's residual part, before the add
 */
public record DualPathStage(
    int blocks, int width, int inc, int kR, int groups, int stride, Optional<SqueezeExciteUnit> se,
    Act act) implements Stage {

  private static final int KR_BASE = 256;

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

  /** R = kR × width / 256: the channels of the grouped 3×3 convolution. */
  public int bottleneckWidth() {
    return (int) ((long) kR * width / KR_BASE);
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
    rules.positive("blocks", blocks).positive("width", width).positive("inc", inc)
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
    if (product % KR_BASE != 0) {
      int step = KR_BASE / Arithmetic.gcd(width, KR_BASE);
      int suggestion = Math.max(step, Math.round((float) kR / step) * step);
      rules.add("kR", "kR × width = " + kR + " × " + width + " = " + product
          + " is not a multiple of 256, so the grouped 3×3's R = kR × width / 256 = "
          + String.format(Locale.ROOT, "%.2f", product / (double) KR_BASE)
          + " is not a whole number of channels; with width = " + width + " use a multiple of "
          + step + ", such as kR = " + suggestion);
    } else if (rules.valid("G") && bottleneckWidth() % groups != 0) {
      int r = bottleneckWidth();
      rules.add("G", "the grouped 3×3's R = kR × width / 256 = " + kR + " × " + width
          + " / 256 = " + r + " channels cannot be split into G = " + groups
          + " groups; use a divisor of " + r + ", such as G = "
          + Arithmetic.nearestDivisor(r, groups));
    }
    return rules;
  }

  @Override
  public Optional<String> strideAttribute() {
    return Optional.of("stride");
  }

  @Override
  public TensorShape output(TensorShape in) {
    return in.resized(
        Arithmetic.convSide(in.height(), 1, stride, 0, 1),
        Arithmetic.convSide(in.width(), 1, stride, 0, 1), stride)
        .withChannels(width + dense());
  }

  @Override
  public Cost cost(TensorShape in) {
    long inArea = in.area();
    long outArea = output(in).area();
    int r = bottleneckWidth();
    // the first block's projection
    Cost total = unit(in.channels(), width + 2 * inc, 1, 1, outArea);
    int channels = in.channels();
    for (int i = 0; i < blocks; i++) {
      long area = i == 0 ? inArea : outArea;
      total = total.plus(unit(channels, r, 1, 1, area))
          .plus(unit(r, r, 3, groups, outArea))
          .plus(unit(r, width + inc, 1, 1, outArea));
      if (se.isPresent()) {
        total = total.plus(se.get().cost(width));
      }
      channels = width + (i + 3) * inc;
    }
    return total;
  }

  /** BN-act on {@code in} channels, then a convolution producing {@code area} positions. */
  private Cost unit(int in, int out, int kernel, int groups, long area) {
    return Arithmetic.normAct(act, in).plus(Arithmetic.conv(in, out, kernel, groups, false, area));
  }
}
