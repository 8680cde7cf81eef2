package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attributes of the stage beside it set by expressions over the parameters of the {@link
 * BlockSpec} it is declared in: {@code @Let(channels = "in * expand", stride = "stride")}. An
 * attribute left "" keeps the stage annotation's value. The attribute set here is written {@link
 * #BOUND} in the stage annotation where Java needs a value ({@code @Conv(channels = Let.BOUND)}).
 *
 * <p>Expressions: integers; the block's parameters; {@code in}, the block's input channels; {@code
 * + - * /} ({@code /} rounds down); parentheses; {@code divisible(v, d)}, {@code v} rounded to a
 * multiple of {@code d} as timm's {@code make_divisible} does.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Let {
  /** The value a stage annotation's attribute takes where a {@code @Let} sets it. */
  int BOUND = Integer.MIN_VALUE;

  /** Output channels of a {@code @Conv}; the squeezed width of a {@code @SqueezeExcite}. */
  String channels() default "";

  /** Kernel side of a {@code @Conv} or {@code @Pool}. */
  String kernel() default "";

  /** Stride of a {@code @Conv} or {@code @Pool}. */
  String stride() default "";

  /** Padding of a {@code @Conv} or {@code @Pool}. */
  String padding() default "";

  /** Groups of a {@code @Conv}. */
  String groups() default "";

  /** Dilation of a {@code @Conv}. */
  String dilation() default "";
}
