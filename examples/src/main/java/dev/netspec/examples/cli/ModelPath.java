package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.engine.Engine;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.Classifier;
import dev.netspec.runtime.train.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a command's model argument names: a checkpoint file, a run folder (its best checkpoint,
 * as {@link RunDirectory#bestCheckpoint} finds it at any instant of a run) or an exported
 * SavedModel folder.
 */
public final class ModelPath {
  private static final String SAVED_MODEL = "saved_model.pb";

  private ModelPath() {}

  /**
   * Opens what {@code model} names: a checkpoint file, a run folder (its best checkpoint, else its
   * latest) or a SavedModel, with the checkpoint's network or {@code network} when given (a zoo
   * name or a generated class's full name), run by {@code engine}.
   */
  public static Classifier open(Path model, String network, ModelOptions options,
      Engine engine) {
    Path target = checkpointOrSavedModel(model);
    if (network == null) {
      return Classifier.open(target, Zoo::resolve, options, engine);
    }
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException("--network applies to checkpoints; a SavedModel "
          + "carries its own network");
    }
    return Classifier.fromCheckpoint(Checkpoint.open(target), Zoo.resolve(network), options,
        engine);
  }

  /** The checkpoint or SavedModel folder {@code given} names. */
  static Path checkpointOrSavedModel(Path given) {
    if (!Files.isDirectory(given) || Files.isRegularFile(given.resolve(SAVED_MODEL))) {
      return given; // a file, or a SavedModel: opening it says what is wrong with it
    }
    return runCheckpoint(given);
  }

  /** The checkpoint {@code given} names; a SavedModel is refused. */
  static Path checkpoint(Path given) {
    if (Files.isRegularFile(given.resolve(SAVED_MODEL))) {
      throw new IllegalArgumentException(given + " is an exported SavedModel; give a checkpoint "
          + "(.safetensors) or a run folder");
    }
    return Files.isDirectory(given) ? runCheckpoint(given) : given;
  }

  private static Path runCheckpoint(Path folder) {
    for (String part : List.of("variables", "assets.extra")) {
      if (Files.isDirectory(folder.resolve(part))) {
        throw new IllegalArgumentException(folder + " holds a SavedModel's " + part + "/ but no "
            + SAVED_MODEL + ": its export was interrupted or it was copied in part; export the "
            + "checkpoint again");
      }
    }
    return RunDirectory.bestCheckpoint(folder);
  }
}
