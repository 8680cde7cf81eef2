package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One path of {@link Branches}: a {@link BlockSpec} used once on the stage's input, its
 * parameters bound by {@link #with} as a {@link Stack}'s are.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Branch {
  /** The block interface, annotated {@code @BlockSpec}. */
  Class<?> block();

  /**
   * The block's parameters, each {@code "name = expression"}; the expression may use {@code in},
   * the stage's input channels, and, inside a block, that block's parameters.
   */
  String[] with() default {};
}
