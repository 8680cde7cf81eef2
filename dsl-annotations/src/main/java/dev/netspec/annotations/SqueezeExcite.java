package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Squeeze-and-excitation (Hu et al. 2018) on every block of the stage: global average pool, 1×1
 * conv with bias to {@code max(C / reduction, minChannels)}, ReLU, 1×1 conv with bias to C,
 * sigmoid, scale the block's residual branch before the add. Beside {@link Residual}, {@link
 * DualPath} and {@link DenseBlock}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SqueezeExcite {
  /** Channel reduction of the squeeze. */
  int reduction() default 16;

  /** The least channels of the squeeze. */
  int minChannels() default 1;
}
