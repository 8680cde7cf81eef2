package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Layer scale (Touvron et al. 2021, ConvNeXt): each channel multiplied by a learnable factor,
 * initially {@link #init()}. Variable {@code <stage>.layer_scale}, {@code [C, 1, 1]} as torchvision's
 * ConvNeXt shapes it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LayerScale {
  /** The factors' initial value; torchvision's ConvNeXt uses 1e-6. */
  double init() default 1e-6;
}
