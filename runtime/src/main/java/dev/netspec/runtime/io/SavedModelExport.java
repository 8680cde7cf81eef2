package dev.netspec.runtime.io;

import dev.netspec.runtime.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.types.TFloat32;

/**
 * Exports an inference model as a TensorFlow SavedModel (tag {@code serve}) with a {@code
 * serving_default} signature: input {@code images}, NHWC float32 normalized as {@code
 * assets.extra/netspec.json} says, output {@code logits}. A model {@link Model#createServing made
 * for serving} adds {@code serving_raw}: input {@code images}, NHWC float32 pixel values 0 to 255
 * as image decoders give them, normalized inside the graph, output {@code logits}. TensorFlow
 * Serving, Python's {@code tf.saved_model.load} and TensorFlow Java all load it.
 */
public final class SavedModelExport {
  public static final String SIGNATURE = "serving_default";
  public static final String RAW_SIGNATURE = "serving_raw";
  public static final String INPUT = "images";
  public static final String OUTPUT = "logits";
  static final String INFO = "assets.extra/netspec.json";
  private static final String SAVED_MODEL = "saved_model.pb";
  private static final String VARIABLES_INDEX = "variables/variables.index";

  private SavedModelExport() {}

  /**
   * Writes the SavedModel of {@code model} (built for inference, weights loaded) into {@code
   * target}, a new folder or an empty one; {@code info} and {@code metadata} go into {@code
   * assets.extra/netspec.json}. A new folder is written as a temporary one renamed at the end. An
   * empty folder is filled in place, never deleted or replaced, since it may be one that cannot
   * be (a mount point, a folder in another user's sticky folder, {@code --out .}); there {@code
   * saved_model.pb} comes last, so that an interrupted export is not taken for a SavedModel.
   *
   * @throws IllegalArgumentException when {@code target} exists and is not an empty folder, or
   *     cannot be written, or when the model's raw images are normalized otherwise than {@code
   *     info} says
   */
  public static void export(Model<?> model, ModelInfo info, Map<String, String> metadata,
      Path target) {
    List<SessionFunction> functions = functions(model, info);
    Path folder = target.toAbsolutePath().normalize(); // "out/." is out itself
    boolean inPlace = Files.exists(folder);
    if (inPlace && !isEmptyFolder(folder)) {
      throw new IllegalArgumentException(target + " already exists; export into a new folder or "
          + "an empty one, or delete it first");
    }
    Path parent = folder.getParent();
    if (!inPlace) {
      try {
        Files.createDirectories(parent);
      } catch (FileAlreadyExistsException e) {
        throw new IllegalArgumentException("cannot export to " + target + ": " + e.getFile()
            + " is a file, not a folder", e);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot create " + parent + ": " + IoFailures.reason(e), e);
      }
    }
    Path writtenIn = inPlace ? folder : parent;
    if (!Files.isWritable(writtenIn)) {
      throw new IllegalArgumentException("cannot export to " + target + ": " + writtenIn
          + " is not writable");
    }
    Path temporary = inPlace ? folder.resolve(".exporting")
        : parent.resolve("." + folder.getFileName() + ".exporting");
    try {
      deleteTree(temporary);
      SavedModelBundle.exporter(temporary.toString())
          .withFunctions(functions.toArray(SessionFunction[]::new)).export();
      Path infoFile = temporary.resolve(INFO);
      Files.createDirectories(infoFile.getParent());
      Files.writeString(infoFile, info.toJson(metadata), StandardCharsets.UTF_8);
      if (inPlace) {
        moveInto(temporary, folder);
      } else {
        Files.move(temporary, folder, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot export to " + target + ": " + IoFailures.reason(e), e);
    } finally {
      try {
        deleteTree(temporary);
      } catch (IOException e) {
        // a leftover temporary folder is harmless
      }
    }
  }

  /** {@code serving_default}, and {@code serving_raw} where the model takes raw images. */
  private static List<SessionFunction> functions(Model<?> model, ModelInfo info) {
    List<SessionFunction> functions = new ArrayList<>();
    functions.add(function(SIGNATURE, model.images(), model));
    model.rawImages().ifPresent(raw -> {
      if (!raw.normalization().equals(info.normalization())) {
        throw new IllegalArgumentException("the model normalizes raw images with "
            + raw.normalization() + ", the model description says " + info.normalization());
      }
      functions.add(function(RAW_SIGNATURE, raw.placeholder(), model));
    });
    return functions;
  }

  private static SessionFunction function(String key, Operand<TFloat32> images, Model<?> model) {
    Signature signature = Signature.builder(key).input(INPUT, images)
        .output(OUTPUT, model.network().output()).build();
    return SessionFunction.create(signature, model.session());
  }

  /** Moves what {@code temporary} holds into {@code folder}, {@code saved_model.pb} last. */
  private static void moveInto(Path temporary, Path folder) throws IOException {
    List<Path> parts;
    try (Stream<Path> entries = Files.list(temporary)) {
      parts = entries.sorted(Comparator.comparing(
          (Path p) -> p.getFileName().toString().equals(SAVED_MODEL))).toList();
    }
    for (Path part : parts) {
      Files.move(part, folder.resolve(part.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Loads an exported SavedModel with its {@code netspec.json}. */
  public static Classifier load(Path folder) {
    // without its index TensorFlow loads the graph, restores nothing and fails only when run
    if (!Files.isRegularFile(folder.resolve(VARIABLES_INDEX))) {
      throw new IllegalArgumentException("cannot load the SavedModel in " + folder + ": it has no "
          + VARIABLES_INDEX + ", so its weights are missing (an export interrupted or copied in "
          + "part); export the checkpoint again");
    }
    Path infoFile = folder.resolve(INFO);
    Map<String, String> metadata;
    try {
      metadata = ModelInfo.parseJson(Files.readString(infoFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + infoFile + " (" + e.getMessage()
          + "): was " + folder + " exported by netspec?", e);
    }
    ModelInfo info = ModelInfo.fromMetadata(metadata);
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(folder.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (TensorFlowException e) {
      throw new IllegalArgumentException("cannot load the SavedModel in " + folder + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    SessionFunction function = bundle.function(SIGNATURE);
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
        try (Result result = function.call(Map.<String, Tensor>of(INPUT, images))) {
          TFloat32 logits = (TFloat32) result.get(OUTPUT)
              .orElseThrow(() -> new IllegalStateException("no '" + OUTPUT + "' output"));
          return TFloat32.tensorOf(logits.shape(), logits::copyTo);
        }
      }

      @Override
      public void close() {
        bundle.close();
      }
    };
  }

  private static boolean isEmptyFolder(Path path) {
    if (!Files.isDirectory(path)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
