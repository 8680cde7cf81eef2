package dev.netspec.runtime.engine;

import dev.netspec.runtime.Model;
import java.util.Objects;
import org.tensorflow.types.TFloat32;

/** {@link Engine#TENSORFLOW}: a model's own {@link Model#predict}; the model stays the caller's. */
final class TensorFlowEngine implements InferenceEngine {
  private final Model<?> model;

  TensorFlowEngine(Model<?> model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  @Override
  public Engine engine() {
    return Engine.TENSORFLOW;
  }

  @Override
  public TFloat32 predict(TFloat32 images) {
    return model.predict(images);
  }

  /** Nothing to free: the model is closed by whoever created it. */
  @Override
  public void close() {}
}
