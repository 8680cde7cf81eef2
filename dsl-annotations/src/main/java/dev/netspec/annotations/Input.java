package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The image a {@link Network} takes: NHWC, float32. A size of {@link #DYNAMIC} is known only at run time. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Input {
  /** A height or width known only at run time. */
  int DYNAMIC = -1;

  /** Colour channels: 3 for RGB, 1 for grey. */
  int channels() default 3;

  /** Image height in pixels, or {@link #DYNAMIC}. */
  int height() default DYNAMIC;

  /** Image width in pixels, or {@link #DYNAMIC}. */
  int width() default DYNAMIC;
}
