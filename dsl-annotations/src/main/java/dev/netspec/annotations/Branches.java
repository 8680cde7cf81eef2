package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Parallel paths: two or more blocks, each run once on this stage's input, their outputs joined
 * by {@link #join}. Written in a {@link BlockSpec} (or a network spec) like any stage:
 *
 * <pre>{@code
 * @Branches(value = {
 *     @Branch(block = ConvPath.class, with = {"out = growth", "dilation = 1"}),
 *     @Branch(block = ConvPath.class, with = {"out = growth", "dilation = 2"})},
 *     join = Join.SELECT)
 * Operand<TFloat32> conv2();
 * }</pre>
 *
 * <p>The paths' outputs must agree: the same shape for {@link Join#ADD} and {@link Join#SELECT},
 * the same height, width and stride for {@link Join#CONCAT}; each path is checked as a {@link
 * Stack} of one repetition is.
 *
 * <p>Variables: {@code <stage>.paths.<i>.<method>.<variable>} for path {@code i} (from 0) and a
 * method of its block; {@link Join#SELECT}'s attention is timm's {@code SelectiveKernelAttn}:
 * {@code <stage>.attn.fc_reduce.weight}, {@code .attn.bn.*}, {@code .attn.fc_select.weight}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Branches {
  /** The paths, in order: two or more. */
  Branch[] value();

  /** What joins the paths' outputs. */
  Join join() default Join.ADD;

  /**
   * {@link Join#SELECT} only: the attention squeezes the C channels of a path to C / {@code
   * reduction}, rounded as timm's {@code make_divisible} to a multiple of {@link #divisor}.
   */
  int reduction() default 16;

  /**
   * {@link Join#SELECT} only: the attention's width is a multiple of this and at least this
   * (timm's {@code rd_divisor}: 8 by default, 32 in {@code skresnext50_32x4d}).
   */
  int divisor() default 8;
}
