package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stage of residual blocks, as torchvision's {@code layer1} … {@code layer4}: {@link #blocks()}
 * blocks, the first carrying the stride and the shortcut projection when the shape changes.
 * Output channels: {@code planes × 4} ({@link Block#BOTTLENECK}) or {@code planes} ({@link
 * Block#BASIC}). The bottleneck's 3×3 has {@code planes × baseWidth / 64 × groups} channels in
 * {@code groups} groups (ResNeXt).
 *
 * <p>Variables follow torchvision: {@code <stage>.0.conv1.weight}, {@code <stage>.0.bn1.*}, …,
 * {@code <stage>.0.downsample.0.weight}, {@code <stage>.0.downsample.1.*}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Residual {
  /** Number of blocks. */
  int blocks();

  /** The block's width before expansion. */
  int planes();

  /** Basic (two 3×3) or bottleneck (1×1, 3×3, 1×1 × 4). */
  Block block() default Block.BOTTLENECK;

  /** The stride of the first block. */
  int stride() default 1;

  /** Groups of the 3×3 convolution (cardinality; ResNeXt). */
  int groups() default 1;

  /** Width per group; 64 for ResNet, 4 for ResNeXt 32×4d. */
  int baseWidth() default 64;

  /** Pre-activation blocks (He et al. 2016): BN-ReLU before each convolution, no ReLU after the add. */
  boolean preact() default false;

  /** Dropout rate after every block, in training mode. */
  double dropout() default 0;

  /** How the shortcut is projected when the shape changes. */
  Downsample downsample() default Downsample.CONV;
}
