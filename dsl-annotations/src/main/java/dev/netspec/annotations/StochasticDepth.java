package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stochastic depth (Huang et al. 2016), torchvision's {@code StochasticDepth(p, "row")}: in
 * training, each image's input is dropped whole with probability {@code p} and kept scaled by
 * {@code 1 / (1 - p)} otherwise; the identity in inference. Placed last in a {@link BlockSpec}
 * with an added shortcut, it drops the residual branch. No variables.
 *
 * <p>The probability rises linearly with depth, as torchvision's ConvNeXt computes it: the
 * network's stochastic-depth stages are numbered {@code i = 0 … n - 1} in order (one per block
 * repetition), and stage {@code i} drops with {@code p = rate · i / (n - 1)} (0 where {@code n =
 * 1}). torchvision's EfficientNet divides by {@code n} instead: write {@code rate · (n - 1) / n}
 * for its schedule. Masks are seeded like dropout's, so a resumed run draws the same ones.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface StochasticDepth {
  /** The probability of the network's last stochastic-depth stage, in [0, 1). */
  double rate();
}
