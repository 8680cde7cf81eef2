package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer on flat features. Variables: {@code <stage>.weight} ({@code [in, out]}),
 * {@code <stage>.bias}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dense {
  /** Output units. */
  int units();

  /** Whether to add a bias. */
  boolean bias() default true;

  /** The activation after the layer. */
  Act act() default Act.NONE;
}
