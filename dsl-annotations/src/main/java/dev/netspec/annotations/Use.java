package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Another spec's network as one stage: its stages are built here, their variables named under
 * this stage's name. Its {@code @Input(channels)} must equal this stage's input channels.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Use {
  /** The spec interface to use. */
  Class<?> value();

  /** The name of its last stage to use; "" = all its stages. */
  String until() default "";
}
