package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Global pooling: {@code [N, H, W, C]} → {@code [N, C]}. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GlobalPool {
  /** Average (default) or max. */
  PoolKind value() default PoolKind.AVG;
}
