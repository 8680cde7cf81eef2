package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Squeeze-and-excitation (Hu et al. 2018), as a stage of its own or on every block of a stage.
 *
 * <p><b>As a stage</b> (alone on a method, typically in a {@link BlockSpec}): torchvision's {@code
 * SqueezeExcitation}, global average pool, 1×1 conv with bias {@code fc1} to {@link #channels()}
 * (or {@code max(C / reduction, minChannels)}), {@link #act()}, 1×1 conv with bias {@code fc2} back
 * to C, {@link #gate()}, and the input scaled by the result. In a block, {@code @Let(channels =
 * "in / 4")} sizes the squeeze from the block's input, as EfficientNet does. Variables {@code
 * <stage>.fc1.weight}, {@code .fc1.bias}, {@code .fc2.weight}, {@code .fc2.bias}.
 *
 * <p><b>As a modifier</b> on every block of the stage: global average pool, 1×1
 * conv with bias to {@code max(C / reduction, minChannels)}, ReLU, 1×1 conv with bias to C,
 * sigmoid, scale. On a {@link Residual} stage it gates the residual branch before the add (also of
 * pre-activation blocks); on a {@link DenseBlock}, each layer's new features before the
 * concatenation. Beside {@link Residual}, {@link DualPath} and {@link DenseBlock}.
 *
 * <p>Variables follow timm: {@code <stage>.0.se.fc1.weight}, {@code .fc1.bias}, {@code
 * .fc2.weight}, {@code .fc2.bias} ({@code <stage>.denselayer1.se.*} in a dense block). A reduction
 * that leaves no channels is a compile error.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SqueezeExcite {
  /** Channel reduction of the squeeze. */
  int reduction() default 16;

  /** The least channels of the squeeze. */
  int minChannels() default 1;

  /**
   * The squeezed width of a {@code @SqueezeExcite} stage; -1 = {@code max(C / reduction,
   * minChannels)}. Set it with {@code @Let(channels = ...)} in a block.
   */
  int channels() default -1;

  /** The activation between the two convolutions of a {@code @SqueezeExcite} stage. */
  Act act() default Act.RELU;

  /**
   * The gate of a {@code @SqueezeExcite} stage: {@link Act#SIGMOID} (EfficientNet) or {@link
   * Act#HARDSIGMOID} (MobileNetV3).
   */
  Act gate() default Act.SIGMOID;
}
