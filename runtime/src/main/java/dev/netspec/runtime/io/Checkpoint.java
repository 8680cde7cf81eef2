package dev.netspec.runtime.io;

import dev.netspec.runtime.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A checkpoint: a safetensors file with the network's variables under their PyTorch-style names,
 * the optimizer's state under {@code optimizer.*}, and strings in its metadata (the network's
 * class, step, epoch, training configuration, data, metrics). Written atomically.
 */
public final class Checkpoint {
  /** The metadata key and value that mark a netspec checkpoint. */
  public static final String FORMAT_KEY = "format";
  public static final String FORMAT = "netspec-checkpoint-1";
  /** The metadata key of the network's class name. */
  public static final String NETWORK_KEY = "network";

  /** Names of optimizer state start with this. */
  public static final String OPTIMIZER_PREFIX = "optimizer.";

  private static final int LISTED = 8;

  private static final String NOT_FINITE_ADVICE =
      "it was saved by a run that had diverged: use an earlier checkpoint";

  private final SafeTensors file;

  private Checkpoint(SafeTensors file) {
    this.file = file;
  }

  /**
   * Writes a checkpoint atomically (temporary file, then rename). The caller keeps the tensors.
   *
   * @throws NonFiniteValuesException when a tensor holds NaN or infinite values (checked as they
   *     are written); then nothing is written and {@code target} is left as it was
   */
  public static void save(Path target, String network, Map<String, String> metadata,
      Map<String, ? extends TFloat32> tensors) throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(FORMAT_KEY, FORMAT);
    all.put(NETWORK_KEY, network);
    all.putAll(metadata);
    AtomicFiles.write(target, temporary -> {
      FiniteValues finite = new FiniteValues();
      SafeTensors.write(temporary, all, tensors, finite::check);
      // thrown before the rename: the temporary file goes, the target stays as it was
      finite.requireAllFinite("not saving " + target.getFileName(),
          "a model that is not finite is no checkpoint");
    });
  }

  /**
   * Opens a checkpoint, checking that it is complete.
   *
   * @throws IllegalArgumentException when it is missing, truncated or not a netspec checkpoint
   */
  public static Checkpoint open(Path file) {
    SafeTensors tensors = SafeTensors.open(file);
    if (!FORMAT.equals(tensors.metadata().get(FORMAT_KEY))) {
      throw new IllegalArgumentException(file + " is a safetensors file but not a netspec "
          + "checkpoint (no '" + FORMAT_KEY + ": " + FORMAT + "' in its metadata)");
    }
    return new Checkpoint(tensors);
  }

  public Path file() {
    return file.file();
  }

  /** The metadata strings. */
  public Map<String, String> metadata() {
    return file.metadata();
  }

  /** The class name of the network it was saved from. */
  public String network() {
    return file.metadata().get(NETWORK_KEY);
  }

  /** The tensors' shapes by name. */
  public Map<String, Shape> shapes() {
    return file.shapes();
  }

  /**
   * Checks that the checkpoint holds exactly the variables {@code expected} (names and shapes) of
   * network {@code network}.
   *
   * @throws IllegalArgumentException listing the missing, unexpected and reshaped variables
   */
  public void checkMatches(String network, Map<String, Shape> expected) {
    Map<String, Shape> found = shapes();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> reshaped = new ArrayList<>();
    expected.forEach((name, shape) -> {
      Shape there = found.get(name);
      if (there == null) {
        missing.add(name + " " + shape);
      } else if (!there.equals(shape)) {
        reshaped.add(name + ": checkpoint " + there + ", network " + shape);
      }
    });
    found.forEach((name, shape) -> {
      if (!expected.containsKey(name)) {
        unexpected.add(name + " " + shape);
      }
    });
    if (missing.isEmpty() && unexpected.isEmpty() && reshaped.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder();
    message.append(file()).append(" does not fit ").append(simpleName(network));
    String saved = network();
    if (saved != null && !saved.equals(network)) {
      message.append(": it was saved from ").append(simpleName(saved));
    }
    message.append(" (").append(found.size()).append(" tensors; the network has ")
        .append(expected.size()).append(")");
    list(message, "missing from the checkpoint", missing);
    list(message, "in the checkpoint but not in the network", unexpected);
    list(message, "with other shapes", reshaped);
    throw new IllegalArgumentException(message.toString());
  }

  private static void list(StringBuilder message, String what, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    message.append("\n  ").append(items.size()).append(' ').append(what).append(": ");
    message.append(String.join(", ", items.subList(0, Math.min(LISTED, items.size()))));
    if (items.size() > LISTED) {
      message.append(", … (").append(items.size() - LISTED).append(" more)");
    }
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /**
   * Assigns the checkpoint's weights to {@code model}'s variables (optimizer state aside).
   *
   * @throws IllegalArgumentException listing names and shapes when the checkpoint holds another
   *     network's variables
   */
  public void loadWeights(Model<?> model) {
    Map<String, Shape> expected = new LinkedHashMap<>();
    model.variables().entries().forEach(e -> expected.put(e.name(), e.shape()));
    shapes().forEach((name, shape) -> {
      if (name.startsWith(OPTIMIZER_PREFIX)) {
        expected.put(name, shape);
      }
    });
    checkMatches(model.network().getClass().getName(), expected);
    List<String> weights = new ArrayList<>();
    model.variables().entries().forEach(e -> weights.add(e.name()));
    Map<String, TFloat32> values = read(weights);
    try {
      model.assign(values);
    } finally {
      values.values().forEach(TFloat32::close);
    }
  }

  /**
   * Reads the tensors named {@code names}; the caller closes them.
   *
   * @throws NonFiniteValuesException naming the file and every tensor that holds NaN or infinite
   *     values (then nothing is returned)
   */
  public Map<String, TFloat32> read(List<String> names) {
    FiniteValues finite = new FiniteValues();
    Map<String, TFloat32> values = file.read(names, finite::check);
    try {
      finite.requireAllFinite(file() + " cannot be loaded", NOT_FINITE_ADVICE);
    } catch (NonFiniteValuesException e) {
      values.values().forEach(TFloat32::close);
      throw e;
    }
    return values;
  }

  /**
   * Checks that every tensor, weights and optimizer state, is finite, without making tensors of
   * them.
   *
   * @throws NonFiniteValuesException naming the file and the tensors that are not
   */
  public void checkFinite() {
    FiniteValues finite = new FiniteValues();
    try (SafetensorsFile source = SafetensorsFile.open(file())) {
      for (String name : source.names()) {
        finite.check(name, source.read(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file() + ": " + e.getMessage(), e);
    }
    finite.requireAllFinite(file() + " cannot be loaded", NOT_FINITE_ADVICE);
  }
}
