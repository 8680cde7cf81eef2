package dev.netspec.processor.model;

import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/**
 * The smallest square image a network with a dynamic size accepts: every window must fit and
 * every stage keep at least one pixel. The runtime refuses smaller images before TensorFlow sees
 * them.
 */
public final class MinimumInput {
  /** Larger than any network here needs; beyond it the search gives up. */
  private static final int LIMIT = 4096;

  private MinimumInput() {}

  /** The smallest side that passes every stage's rules, or -1 when none up to the limit does. */
  public static int side(List<NamedStage> stages, int channels) {
    for (int side = 1; side <= LIMIT; side++) {
      if (Walk.of(stages, TensorShape.image(channels, side, side)).ok()) {
        return side;
      }
    }
    return -1;
  }
}
