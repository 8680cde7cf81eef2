package dev.netspec.runtime.io;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.engine.Engine;
import dev.netspec.runtime.engine.EngineDecision;
import dev.netspec.runtime.engine.InferenceEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tensorflow.types.TFloat32;

/**
 * A trained classifier ready to run: from a checkpoint (the network rebuilt for inference and the
 * weights loaded) or from an exported SavedModel.
 */
public interface Classifier extends AutoCloseable {

  /** The network, input size, classes and normalization. */
  ModelInfo info();

  /** Everything recorded with the weights: a checkpoint's metadata, or an export's netspec.json. */
  Map<String, String> metadata();

  /** Logits {@code [N, classes]} of normalized NHWC {@code images}; the caller closes both. */
  TFloat32 logits(TFloat32 images);

  /**
   * Which engine {@link Engine#AUTO} chose and why, once the first images have decided; empty for
   * an engine named by the caller.
   */
  default Optional<EngineDecision> engineDecision() {
    return Optional.empty();
  }

  @Override
  void close();

  /**
   * Opens a SavedModel folder (one holding {@code saved_model.pb}; TensorFlow places it) or a
   * checkpoint file (built with {@code options}).
   *
   * @param resolve turns the network's recorded class name into its descriptor (checkpoints only)
   */
  static Classifier open(Path path, Function<String, NetworkDescriptor<?>> resolve,
      ModelOptions options) {
    if (Files.isDirectory(path) && Files.exists(path.resolve("saved_model.pb"))) {
      return SavedModelExport.load(path);
    }
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(path + " is a folder without saved_model.pb: give a "
          + "checkpoint (.safetensors) or an exported SavedModel folder");
    }
    Checkpoint checkpoint = Checkpoint.open(path);
    String network = checkpoint.network();
    return fromCheckpoint(checkpoint, resolve.apply(network), options);
  }

  /**
   * {@link #open(Path, Function, ModelOptions)} run by {@code engine}. A SavedModel runs on
   * TensorFlow only ({@link Engine#AUTO} included): it holds a TensorFlow graph, not a network to
   * export.
   *
   * @throws IllegalArgumentException when {@code path} is a SavedModel and {@code engine} is
   *     {@link Engine#ONNXRUNTIME}
   */
  static Classifier open(Path path, Function<String, NetworkDescriptor<?>> resolve,
      ModelOptions options, Engine engine) {
    if (engine == Engine.TENSORFLOW || engine == Engine.AUTO && Files.isDirectory(path)) {
      return open(path, resolve, options);
    }
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(path + " is a SavedModel folder, which runs on "
          + "TensorFlow only; give its checkpoint (.safetensors) to run on " + engine.label());
    }
    Checkpoint checkpoint = Checkpoint.open(path);
    return fromCheckpoint(checkpoint, resolve.apply(checkpoint.network()), options, engine);
  }

  /**
   * Builds {@code network} for inference and loads the checkpoint's weights into it.
   *
   * @throws IllegalArgumentException listing names and shapes when the checkpoint holds another
   *     network's variables
   */
  static Classifier fromCheckpoint(Checkpoint checkpoint, NetworkDescriptor<?> network,
      ModelOptions options) {
    return fromCheckpoint(checkpoint, network, options, Engine.TENSORFLOW);
  }

  /**
   * {@link #fromCheckpoint(Checkpoint, NetworkDescriptor, ModelOptions)} run by {@code engine},
   * on {@link ModelOptions#threads() options' threads}. An engine other than TensorFlow takes the
   * network with its weights while it opens; TensorFlow's model is closed then.
   */
  static Classifier fromCheckpoint(Checkpoint checkpoint, NetworkDescriptor<?> network,
      ModelOptions options, Engine asked) {
    asked.checkDevice(options.device());
    Engine engine = asked.on(options.device());
    Map<String, String> metadata = new LinkedHashMap<>(checkpoint.metadata());
    metadata.put(Checkpoint.NETWORK_KEY, network.type().getName());
    ModelInfo info = ModelInfo.fromMetadata(metadata);
    Model<?> model = Model.create(network, Mode.INFERENCE, 0L, options);
    try {
      checkpoint.loadWeights(model);
      InferenceEngine running = engine.open(model, options.threads(), info.height(),
          info.width());
      if (engine.runsModel()) {
        return new EngineClassifier(info, metadata, running, model);
      }
      model.close();
      return new EngineClassifier(info, metadata, running, null);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
