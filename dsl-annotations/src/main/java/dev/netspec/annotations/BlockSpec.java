package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A block of one's own: an interface whose abstract methods, in declaration order, are the block's
 * stages, written with the same annotations as a {@link Network} spec's. A spec uses it as a stage
 * with {@link Stack}. Attributes that depend on the block's parameters are set with {@link Let}.
 *
 * <p>Variables: {@code <stage>.<repetition>.<method>.<variable>}, such as {@code
 * features3.0.depthwise.conv.weight}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BlockSpec {
  /**
   * The parameters, each {@code "name"} (every use must give it) or {@code "name = value"} (a
   * default, an integer): {@code {"out", "stride = 1", "expand = 6"}}.
   */
  String[] parameters() default {};

  /** What joins the block's input to its output. */
  Shortcut shortcut() default Shortcut.NONE;

  /**
   * The activation after the shortcut (ResNet's ReLU after the add); {@link Act#DEFAULT} = the
   * network's.
   */
  Act act() default Act.NONE;
}
