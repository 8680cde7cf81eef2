package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Layer normalization over the channels at each position, with PyTorch's semantics: ConvNeXt's
 * {@code LayerNorm2d} on a feature map, {@code LayerNorm} on flat features. Each position is
 * normalized by the mean and biased variance of its channels, then scaled by {@code weight} (ones)
 * and shifted by {@code bias} (zeros), both {@code [C]}; training and inference compute the same.
 * Variables {@code <stage>.weight}, {@code <stage>.bias}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LayerNorm {
  /** Epsilon, added to the variance; ConvNeXt's 1e-6 by default. */
  double epsilon() default 1e-6;
}
