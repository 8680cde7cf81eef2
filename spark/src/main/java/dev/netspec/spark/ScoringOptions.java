package dev.netspec.spark;

import dev.netspec.runtime.engine.Engine;
import java.io.Serializable;
import java.util.Objects;

/**
 * What each partition's scorer opens and how it scores, sent with every task.
 *
 * @param model a checkpoint (.safetensors), a run folder (its best checkpoint) or a SavedModel
 *     folder, at a path every executor can read
 * @param network the network to load a checkpoint into (a zoo name or a generated class's full
 *     name), or null for the one the checkpoint records
 * @param top classes kept per image, most likely first
 * @param batch images per call of the network
 * @param threads CPU threads per model (0 = the engine's choice, every core): with several
 *     tasks per executor, their product should not exceed the executor's cores
 * @param engine what runs each partition's model: {@link Engine#AUTO} decides per executor
 *     machine, from the timings it keeps there
 */
public record ScoringOptions(String model, String network, int top, int batch, int threads,
    Engine engine) implements Serializable {
  public ScoringOptions {
    Objects.requireNonNull(engine, "engine");
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a model (checkpoint, run folder or SavedModel) is "
          + "needed");
    }
    if (top < 1) {
      throw new IllegalArgumentException("--top must be at least 1, got " + top);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be 0 (every core) or more, got "
          + threads);
    }
  }
}
