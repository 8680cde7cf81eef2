package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A convolution with its normalization and activation: conv → BatchNorm → activation, or, with
 * {@link Order#NORM_ACT_CONV}, BatchNorm → activation → conv (pre-activation). Padding is
 * symmetric, as PyTorch's. Output channels: {@link #channels()}.
 *
 * <p>Variables: {@code <stage>.conv.weight} (HWIO), {@code <stage>.conv.bias}, {@code
 * <stage>.bn.*}, {@code <stage>.act.weight} (PReLU).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv {
  /** Output channels. */
  int channels();

  /** Kernel side. */
  int kernel() default 3;

  /** Stride. */
  int stride() default 1;

  /**
   * Symmetric padding; -1 = {@code dilation * (kernel / 2)} for an odd kernel, which keeps the
   * size at stride 1, and 0 for an even kernel, as PyTorch's default (a kernel 4 stride 4 patchify
   * stem maps 32×32 to 8×8).
   */
  int padding() default -1;

  /** Dilation (atrous rate). */
  int dilation() default 1;

  /** Groups: input and output channels must both be divisible by it. */
  int groups() default 1;

  /**
   * A depthwise convolution: one group per input channel (groups = the input channels), {@link
   * #channels()} a multiple of them. Leave {@link #groups()} at 1.
   */
  boolean depthwise() default false;

  /** Whether the convolution adds a bias. */
  boolean bias() default false;

  /** The normalization; {@link Norm#NONE} for none. */
  Norm norm() default Norm.BATCH;

  /** The activation; {@link Act#DEFAULT} = the network's. */
  Act act() default Act.DEFAULT;

  /** Where the convolution stands relative to normalization and activation. */
  Order order() default Order.CONV_NORM_ACT;
}
