package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Figures a spec must meet, checked at compile time: exact parameter and multiply-accumulate
 * counts (as PyTorch would count them for the same network) and budgets. -1 = unchecked.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Expect {
  /** The exact number of parameters. */
  long parameters() default -1;

  /** The exact multiply-accumulates for one image at the declared size. */
  long macs() default -1;

  /** At most this many parameters. */
  long maxParameters() default -1;

  /** At most this many multiply-accumulates. */
  long maxMacs() default -1;
}
