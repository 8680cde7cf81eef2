package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Split attention (ResNeSt, Zhang et al. 2020) on every block of a {@link Residual} stage: the
 * 3×3 convolution becomes a radix-major split-attention convolution over {@code radix ×
 * cardinality} groups.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SplitAttention {
  /** Splits per cardinal group; at least 1. */
  int radix() default 2;

  /** Cardinal groups. */
  int cardinality() default 1;

  /** Reduction of the attention's squeeze. */
  int reduction() default 4;
}
