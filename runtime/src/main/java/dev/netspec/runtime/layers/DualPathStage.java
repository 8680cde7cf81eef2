package dev.netspec.runtime.layers;

import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A stage of Dual Path Network blocks (Chen et al. 2017) with timm's {@code DualPathBlock} layout
 * and names. Blocks are named {@code 1}, {@code 2}, … (timm's {@code conv2_1}, {@code conv2_2}, …
 * become {@code <stage>.1}, {@code <stage>.2}, …). Each block carries a residual path of {@code
 * width} channels and a dense path that grows by {@code inc}:
 *
 * <ul>
 *   <li>the first block projects its input with {@code c1x1_w_s1} ('proj', stride 1) or {@code
 *       c1x1_w_s2} ('down', stride 2): BN-act-1×1 conv to {@code width + 2·inc}, split into the
 *       residual ({@code width}) and dense ({@code 2·inc}) paths;
 *   <li>every block: {@code c1x1_a} BN-act-1×1 conv to R = kR·width/256, {@code c3x3_b}
 *       BN-act-3×3 grouped conv ({@code groups}, the block's stride) to R, {@code c1x1_c}
 *       BN-act-1×1 conv to {@code width + inc}; its first {@code width} channels (through the
 *       {@code se} gate, with {@link #squeezeExcite}) add to the residual path, the last {@code
 *       inc} concatenate to the dense path; the next block sees both, concatenated.
 * </ul>
 *
 * <p>The stage's output is {@code [residual, dense]}: {@code width + (blocks + 2)·inc} channels.
 * Every unit is a pre-activation {@link ConvUnit} (variables {@code bn.*} then {@code
 * conv.weight}, no bias) with the network's activation and epsilon.
 *
 * @param groups G, the groups of the 3×3 convolution
 * @param se the gate on each block's residual part before the add; empty = none
 */
public record DualPathStage(
    int blocks, int width, int inc, int kR, int groups, int stride, Optional<SqueezeExcite> se) {

  public DualPathStage {
    ConvUnit.check(blocks >= 1, "blocks must be >= 1, got " + blocks);
    ConvUnit.check(width >= 1, "width must be >= 1, got " + width);
    ConvUnit.check(inc >= 1, "inc must be >= 1, got " + inc);
    ConvUnit.check(kR >= 1, "kR must be >= 1, got " + kR);
    ConvUnit.check(groups >= 1, "groups must be >= 1, got " + groups);
    ConvUnit.check(stride == 1 || stride == 2,
        "stride must be 1 ('proj') or 2 ('down'), got " + stride);
    ConvUnit.check((long) kR * width % 256 == 0,
        "kR · width must be a multiple of 256, got " + kR + " · " + width);
    ConvUnit.check((long) kR * width / 256 % groups == 0, "R = kR · width / 256 = "
        + (long) kR * width / 256 + " must be divisible by the " + groups + " groups");
    ConvUnit.check(se != null, "se must not be null; use Optional.empty()");
  }

  /** Blocks of width {@code width}, stride 1, no squeeze-excite. */
  public static DualPathStage of(int blocks, int width, int inc, int kR, int groups) {
    return new DualPathStage(blocks, width, inc, kR, groups, 1, Optional.empty());
  }

  public DualPathStage stride(int stride) {
    return new DualPathStage(blocks, width, inc, kR, groups, stride, se);
  }

  public DualPathStage squeezeExcite(SqueezeExcite se) {
    return new DualPathStage(blocks, width, inc, kR, groups, stride, Optional.of(se));
  }

  /** R: the channels of the grouped 3×3 convolution. */
  public int bottleneckWidth() {
    return Math.toIntExact((long) kR * width / 256);
  }

  public int outputChannels() {
    return width + (blocks + 2) * inc;
  }

  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
    Ops tf = scope.tf();
    Layers first = scope.in("1");
    List<Output<TFloat32>> projected = channels(tf,
        unit(first, stride == 1 ? "c1x1_w_s1" : "c1x1_w_s2", x, width + 2 * inc, 1, stride, 1),
        2 * inc);
    Operand<TFloat32> residual = projected.get(0);
    Operand<TFloat32> dense = projected.get(1);
    Operand<TFloat32> in = x;
    for (int i = 1; i <= blocks; i++) {
      Layers block = scope.in(Integer.toString(i));
      int s = i == 1 ? stride : 1;
      Operand<TFloat32> y = unit(block, "c1x1_a", in, bottleneckWidth(), 1, 1, 1);
      y = unit(block, "c3x3_b", y, bottleneckWidth(), 3, s, groups);
      List<Output<TFloat32>> out = channels(tf, unit(block, "c1x1_c", y, width + inc, 1, 1, 1), inc);
      Operand<TFloat32> residualPart = se.isPresent()
          ? se.get().apply(block.in("se"), out.get(0)) : out.get(0);
      residual = tf.math.add(residual, residualPart);
      dense = tf.concat(List.of(dense, out.get(1)), tf.constant(3));
      in = tf.concat(List.of(residual, dense), tf.constant(3));
    }
    return in;
  }

  /** BN-act-conv in scope {@code name}. */
  private static Operand<TFloat32> unit(Layers block, String name, Operand<TFloat32> x,
      int channels, int kernel, int stride, int groups) {
    return ConvUnit.of(channels, kernel).stride(stride).groups(groups)
        .order(UnitOrder.NORM_ACT_CONV).apply(block.in(name), x);
  }

  /** {@code y} split into its first {@code width} channels and the {@code rest}. */
  private List<Output<TFloat32>> channels(Ops tf, Operand<TFloat32> y, int rest) {
    return tf.splitV(y, tf.constant(new int[] {width, rest}), tf.constant(3), 2L).output();
  }
}
