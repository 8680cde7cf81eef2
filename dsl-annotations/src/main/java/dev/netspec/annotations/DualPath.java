package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stage of Dual Path Network blocks (Chen et al. 2017): each block is pre-activation 1×1 →
 * grouped 3×3 ({@code G} groups, {@code R = kR × width / 256} channels) → 1×1 to {@code width +
 * inc}; the first {@code width} channels add to the residual path, the last {@code inc}
 * concatenate to the dense path. The first block projects the input to {@code width + 2 × inc}
 * ('proj' at stride 1, 'down' at stride 2). Output channels: {@code width + (blocks + 2) × inc},
 * the residual path then the dense path. Every unit is pre-activation BN-act-conv with the
 * network's activation and epsilon (timm's DPNs use {@code @Network(epsilon = 1e-3)}).
 *
 * <p>Compilation fails, on the attribute at fault, when {@code kR × width} is not a multiple of
 * 256, when {@code G} does not divide R, when a value is not positive, or when {@code stride} is
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

  /** bw: the residual path's width (256, 512, 1024, 2048 in DPN-92). */
  int width();

  /** Channels each block adds to the dense path. */
  int inc();

  /** k_R: the 3×3 has {@code kR × width / 256} channels. */
  int kR();

  /** Groups of the 3×3 convolution. */
  int G();

  /** Stride of the first block: 1 ('proj') or 2 ('down'). */
  int stride() default 1;
}
