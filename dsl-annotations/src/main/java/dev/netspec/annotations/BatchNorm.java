package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalization, optionally followed by an activation. Batch statistics are used and the
 * running statistics updated in training mode only. Variables: {@code <stage>.weight}, {@code
 * .bias}, {@code .running_mean}, {@code .running_var}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface BatchNorm {
  /** Epsilon; -1 = the network's. */
  double epsilon() default -1;

  /** PyTorch's convention: running = (1 − momentum) × running + momentum × batch. */
  double momentum() default 0.1;

  /** The activation after the normalization. */
  Act act() default Act.NONE;
}
