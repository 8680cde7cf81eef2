package dev.netspec.runtime.engine;

import java.util.Optional;
import org.tensorflow.types.TFloat32;

/**
 * What runs a loaded network's inference: images in, the network's output out. The images are
 * normalized NHWC, as {@link dev.netspec.runtime.Model#predict} takes them, whichever engine runs
 * them. Not thread-safe unless an implementation says so.
 */
public interface InferenceEngine extends AutoCloseable {

  /** Which engine this is. */
  Engine engine();

  /** How {@link Engine#AUTO} chose this engine; empty for an engine named by the caller. */
  default Optional<EngineDecision> decision() {
    return Optional.empty();
  }

  /**
   * The network's output ({@code [N, classes]} logits, or an NHWC feature map) for {@code
   * images}, NHWC. The caller closes both.
   *
   * @throws IllegalArgumentException if the images do not fit the network's input
   */
  TFloat32 predict(TFloat32 images);

  /** Frees what the engine holds, native memory included. */
  @Override
  void close();
}
