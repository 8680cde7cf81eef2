package dev.netspec.runtime.io;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.engine.EngineDecision;
import dev.netspec.runtime.engine.InferenceEngine;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.types.TFloat32;

/**
 * A checkpoint's classifier run by an {@link InferenceEngine}.
 *
 * @param model the TensorFlow model the engine runs, closed with it; null where the engine no
 *     longer needs one
 */
record EngineClassifier(ModelInfo info, Map<String, String> metadata, InferenceEngine engine,
    Model<?> model) implements Classifier {

  @Override
  public TFloat32 logits(TFloat32 images) {
    return engine.predict(images);
  }

  @Override
  public Optional<EngineDecision> engineDecision() {
    return engine.decision();
  }

  @Override
  public void close() {
    try {
      engine.close();
    } finally {
      if (model != null) {
        model.close();
      }
    }
  }
}
