package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Split attention (ResNeSt, Zhang et al. 2020) on every bottleneck of a {@link Residual} stage, as
 * timm's {@code resnest50d} builds it: the 3×3 conv-BN-activation becomes a 3×3 conv (no bias) to
 * {@code radix × C} channels in {@code radix × cardinality} groups, BatchNorm, ReLU; the radix
 * splits are summed and pooled, a 1×1 conv with bias ({@code cardinality} groups) squeezes them to
 * C · radix / {@code reduction} channels, a multiple of 8 and at least 32, BatchNorm, ReLU, and a
 * 1×1 conv with bias ({@code cardinality} groups) expands them to {@code radix × C} logits; a
 * softmax across the radix (a sigmoid for {@code radix = 1}) weights the splits, which are summed.
 * In a strided block the conv keeps stride 1 and a 3×3 average pool (padding 1) after it carries
 * the stride ('avd'). Pair it with {@code downsample = Downsample.AVG_CONV} for ResNeSt's shortcuts.
 *
 * <p>Post-activation bottlenecks only; {@code cardinality} must equal {@code @Residual(groups)}
 * unless that is 1. Variables follow timm: {@code <stage>.0.conv2.conv.weight}, {@code .bn0.*},
 * {@code .fc1.weight}, {@code .fc1.bias}, {@code .bn1.*}, {@code .fc2.weight}, {@code .fc2.bias}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SplitAttention {
  /** Splits per cardinal group; at least 1. */
  int radix() default 2;

  /** Cardinal groups. */
  int cardinality() default 1;

  /** Reduction of the attention's squeeze. */
  int reduction() default 4;
}
