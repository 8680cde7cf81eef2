package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A contract on a network's output, checked at compile time: compilation fails unless the last
 * stage yields exactly these channels at this stride, and the error proposes the change that
 * meets it. -1 leaves a figure unchecked.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Output {
  /** The channels the last stage must yield; -1 = unchecked. */
  int channels() default -1;

  /** The total stride (input side / output side) the last stage must have; -1 = unchecked. */
  int stride() default -1;
}
