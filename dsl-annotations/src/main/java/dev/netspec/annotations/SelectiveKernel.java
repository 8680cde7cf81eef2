package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selective kernel (SKNet, Li et al. 2019) on every block of a {@link Residual} stage: the 3×3
 * convolution becomes {@code branches} grouped 3×3 convolutions of dilation 1, 2, …, fused by
 * sum, squeezed and weighted per branch by a softmax across branches.
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
