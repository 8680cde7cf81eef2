package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A DenseNet transition: BN-ReLU, a 1×1 convolution to {@code ⌊in × compression⌋} channels (or
 * {@link #channels()}), then a 2×2 pool of stride 2. Variables: {@code <stage>.norm.*}, {@code
 * <stage>.conv.weight}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Transition {
  /** The fraction of channels kept, in (0, 1]. */
  double compression() default 0.5;

  /** Output channels; -1 = use the compression. */
  int channels() default -1;

  /** The 2×2 pool. */
  PoolKind pool() default PoolKind.AVG;

  /** Ceil mode for the pool. */
  boolean ceil() default false;

  /** Dropout rate after the convolution, in training mode. */
  double dropout() default 0;

  /** {@link Order#NORM_ACT_CONV} as DenseNet; {@link Order#CONV_NORM_ACT} for conv-BN-ReLU. */
  Order order() default Order.NORM_ACT_CONV;
}
