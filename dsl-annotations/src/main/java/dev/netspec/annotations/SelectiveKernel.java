package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selective kernel (SKNet, Li et al. 2019) on every block of a {@link Residual} stage, as timm's
 * {@code skresnext50_32x4d} builds it: the 3×3 conv-BN-activation (a BASIC block's first one)
 * becomes {@code branches} 3×3 conv-BN-activation paths of dilation and padding 1, 2, …, with
 * {@code groups} groups and the block's stride; their sum is pooled, squeezed by a 1×1 conv (no
 * bias) to C / {@code reduction} channels rounded to a multiple of 32 and at least {@code minDim},
 * BatchNorm and ReLU, expanded by a 1×1 conv (no bias) to {@code branches × C} logits; a softmax
 * across the branches weights the paths, which are summed.
 *
 * <p>Post-activation blocks only; {@code groups} must divide the paths' input and output channels,
 * and equal {@code @Residual(groups)} unless that is 1. Variables follow timm: {@code
 * <stage>.0.conv2.paths.0.conv.weight}, {@code .paths.0.bn.*}, {@code .attn.fc_reduce.weight},
 * {@code .attn.bn.*}, {@code .attn.fc_select.weight}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SelectiveKernel {
  /** Number of branches. */
  int branches() default 2;

  /** Groups of each branch's convolution. */
  int groups() default 32;

  /** Reduction of the attention's squeeze. */
  int reduction() default 16;

  /** The least width of the attention's squeeze. */
  int minDim() default 32;
}
