package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A DenseNet dense block: {@link #layers()} dense layers, each {@code [BN-ReLU-]1×1 (bottleneck ×
 * growth)} then {@code BN-ReLU-3×3 (growth)}, its output concatenated to its input. Output
 * channels: {@code in + growth × layers}.
 *
 * <p>Variables follow torchvision: {@code <stage>.denselayer1.norm1.*}, {@code .conv1.weight},
 * {@code .norm2.*}, {@code .conv2.weight}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DenseBlock {
  /** Growth rate k: channels each layer adds. */
  int growth();

  /** Number of dense layers. */
  int layers();

  /** bn_size: the 1×1 bottleneck has {@code bottleneck × growth} channels; 0 = no bottleneck. */
  int bottleneck() default 4;

  /** Dropout rate on each layer's new features, in training mode. */
  double dropout() default 0;

  /** {@link Order#NORM_ACT_CONV} as DenseNet; {@link Order#CONV_NORM_ACT} for conv-BN-ReLU units. */
  Order order() default Order.NORM_ACT_CONV;
}
