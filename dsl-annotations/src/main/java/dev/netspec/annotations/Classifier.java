package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A classification head: global pool, dropout (training only), linear layer with bias to {@link
 * #classes()} logits. Variables: {@code <stage>.weight} ({@code [in, classes]}), {@code
 * <stage>.bias}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Classifier {
  /** Number of classes. */
  int classes();

  /** The global pool. */
  PoolKind pool() default PoolKind.AVG;

  /** Dropout rate before the linear layer. */
  double dropout() default 0;
}
