package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a network spec. Its abstract methods, in declaration order, are the
 * stages; each carries one stage annotation and returns {@code Operand<TFloat32>}.
 *
 * <p>For spec {@code p.S} the processor writes {@code p.G} ({@code G} from {@link #name()}), a
 * final class implementing {@code S} and {@code dev.netspec.runtime.NetworkGraph} with the shape
 * constants, {@code PARAMETERS}, {@code MACS} and {@code build(Ops, Operand, Mode)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {
  /** The generated class's simple name; "" = the spec's name minus a trailing "Spec", else + "Graph". */
  String name() default "";

  /** The image the network takes. */
  Input input() default @Input;

  /** A contract on the last stage's output; unchecked by default. */
  Output output() default @Output;

  /** The activation of every stage that says {@link Act#DEFAULT}. */
  Act activation() default Act.RELU;

  /** Every BatchNorm's epsilon, unless it sets its own. */
  double epsilon() default 1e-5;
}
