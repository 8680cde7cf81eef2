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
 * ('proj' at stride 1, 'down' at stride 2). Output channels: {@code width + (blocks + 2) × inc}.
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
