package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stage of Dual Path Network blocks (Chen et al. 2017): each block is pre-activation 1×1 →
 * grouped 3×3 ({@code G} groups, R channels) → 1×1 to {@code width +
 * inc}; the first {@code width} channels add to the residual path, the last {@code inc}
 * concatenate to the dense path. The first block projects the input to {@code width + 2 × inc}
 * ('proj' at stride 1, 'down' at stride 2). Output channels: {@code width + (blocks + 2) × inc},
 * the residual path then the dense path. Every unit is pre-activation BN-act-conv with the
 * network's activation and epsilon (timm's DPNs use {@code @Network(epsilon = 1e-3)}).
 *
 * <p>{@code kR} means what the DPN paper and timm mean: R in the spec's first {@code @DualPath}
 * stage, growing with the width after it, {@code R = kR × width / firstWidth}. DPN-92 (widths
 * 256 … 2048, k_R 96) has R = 96, 192, 384, 768; DPN-68 (widths 64 … 512, k_R 128) has R = 128,
 * 256, 512, 1024.
 *
 * <p>Compilation fails, on the attribute at fault, when {@code kR × width / firstWidth} is not
 * whole, when {@code G} does not divide R, when a value is not positive, or when {@code stride} is
 * neither 1 nor 2. With {@link SqueezeExcite} beside it, each block's residual part passes
 * through a squeeze-excite gate before the add.
 *
 * <p>Variables follow timm's {@code DualPathBlock}: blocks {@code <stage>.1}, {@code
 * <stage>.2}, …, each with {@code c1x1_a}, {@code c3x3_b}, {@code c1x1_c} (and the first with
 * {@code c1x1_w_s1} or {@code c1x1_w_s2}), each unit with {@code bn.*} and {@code conv.weight};
 * the gate's are {@code se.fc1.*} and {@code se.fc2.*}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DualPath {
  /** Number of blocks. */
  int blocks();

  /** bw: the residual path's width (256, 512, 1024, 2048 in DPN-92; 64 … 512 in DPN-68). */
  int width();

  /** Channels each block adds to the dense path. */
  int inc();

  /**
   * k_R: the grouped 3×3's width in the spec's first {@code @DualPath} stage; a later stage's is
   * {@code kR × width / firstWidth}.
   */
  int kR();

  /** Groups of the 3×3 convolution. */
  int G();

  /** Stride of the first block: 1 ('proj') or 2 ('down'). */
  int stride() default 1;
}
