package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link BlockSpec} used as a stage, {@link #repeat} times in a row, its parameters bound by
 * {@link #with} and, for the first repetition only, {@link #first}:
 * {@code @Stack(block = InvertedResidual.class, repeat = 3, with = "out = 32", first = "stride = 2")}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Stack {
  /** The block interface, annotated {@code @BlockSpec}. */
  Class<?> block();

  /** How many blocks in a row. */
  int repeat() default 1;

  /**
   * The parameters of every repetition, each {@code "name = expression"}; the expression may use
   * {@code in}, the stage's input channels.
   */
  String[] with() default {};

  /** Parameters of the first repetition that differ from {@link #with}, such as its stride. */
  String[] first() default {};
}
