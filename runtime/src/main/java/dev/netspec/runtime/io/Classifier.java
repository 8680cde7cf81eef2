package dev.netspec.runtime.io;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.NetworkDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
   * Builds {@code network} for inference and loads the checkpoint's weights into it.
   *
   * @throws IllegalArgumentException listing names and shapes when the checkpoint holds another
   *     network's variables
   */
  static Classifier fromCheckpoint(Checkpoint checkpoint, NetworkDescriptor<?> network,
      ModelOptions options) {
    Map<String, String> metadata = new LinkedHashMap<>(checkpoint.metadata());
    metadata.put(Checkpoint.NETWORK_KEY, network.type().getName());
    ModelInfo info = ModelInfo.fromMetadata(metadata);
    Model<?> model = Model.create(network, Mode.INFERENCE, 0L, options);
    try {
      checkpoint.loadWeights(model);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new Classifier() {
      @Override
      public ModelInfo info() {
        return info;
      }

      @Override
      public Map<String, String> metadata() {
        return metadata;
      }

      @Override
      public TFloat32 logits(TFloat32 images) {
        return model.predict(images);
      }

      @Override
      public void close() {
        model.close();
      }
    };
  }
}
