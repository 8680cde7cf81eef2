package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Max or average pooling with PyTorch's semantics: symmetric padding (−∞ for max, zeros that
 * count towards the divisor for average) and optional ceil mode. Channels are unchanged.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Pool {
  /** Max or average. */
  PoolKind kind() default PoolKind.MAX;

  /** Window side. */
  int kernel() default 2;

  /** Stride; -1 = the kernel. */
  int stride() default -1;

  /** Symmetric padding; at most half the kernel. */
  int padding() default 0;

  /** Round the output size up rather than down, as PyTorch's {@code ceil_mode}. */
  boolean ceil() default false;
}
