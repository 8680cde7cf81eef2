package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code [N, H, W, C]} → {@code [N, H × W × C]}, in NHWC order. Only for a fixed spatial size.
 * A PyTorch linear layer imported after it has its input permuted from C·H·W to H·W·C order.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Flatten {}
