package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An activation function on its own. PReLU has one slope per channel ({@code <stage>.weight}). */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Activation {
  /** The function; {@link Act#DEFAULT} = the network's. */
  Act value() default Act.DEFAULT;
}
