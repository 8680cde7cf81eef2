package dev.netspec.runtime.layers;

import dev.netspec.runtime.Init;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.VariableStore;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Where a primitive of one network build puts its ops and variables: a TensorFlow name scope with
 * the dotted variable-name prefix that goes with it ({@code layer1.0.conv1.}), the network-wide
 * settings, the mode, and the variables. It knows no ops; {@link Layers} builds them in it.
 *
 * <p>Variables belong to the graph, not to the build: {@link #variable} returns the graph's
 * variable of that full name when an earlier build made one, so a network built again in another
 * mode computes with the first build's weights and BatchNorm statistics. Each build lists the
 * variables it uses, and its own running-statistics updates, in its {@link VariableStore}.
 */
final class NetworkScope {

  /** What every scope of one build shares. */
  private record Build(Mode mode, boolean memoryEfficient, Set<String> frozenStages,
      VariableRegistry registry, VariableStore store, DropoutSeeds dropoutSeeds) {}

  private final Ops tf;
  private final Build build;
  private final NetworkSettings settings;
  private final String prefix;
  private final boolean frozen;

  private NetworkScope(Ops tf, Build build, NetworkSettings settings, String prefix,
      boolean frozen) {
    this.tf = tf;
    this.build = build;
    this.settings = settings;
    this.prefix = prefix;
    this.frozen = frozen;
  }

  /**
   * The root scope of a new build into {@code tf}'s graph, with PyTorch's settings.
   *
   * @param frozenStages the top-level scopes (stages) to build frozen
   */
  static NetworkScope root(Ops tf, Mode mode, boolean memoryEfficient, Set<String> frozenStages) {
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(mode, "mode");
    Build build = new Build(mode, memoryEfficient, Set.copyOf(frozenStages),
        VariableRegistry.of(tf.scope().env()), new VariableStore(), new DropoutSeeds(tf));
    return new NetworkScope(tf, build, NetworkSettings.PYTORCH, "", false);
  }

  /** This scope with other network-wide settings; the build stays the same. */
  NetworkScope withSettings(NetworkSettings settings) {
    return new NetworkScope(tf, build, Objects.requireNonNull(settings, "settings"), prefix,
        frozen);
  }

  /** A child scope: TensorFlow sub-scope {@code name} and variable-name prefix {@code name.}. */
  NetworkScope in(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains(".") || name.contains("/")) {
      throw new IllegalArgumentException(
          "scope name must be non-empty and contain neither '.' nor '/': '" + name + "'");
    }
    // stages are the root's children: a stage's own scope decides, and its parts inherit it
    boolean frozenChild = frozen || prefix.isEmpty() && build.frozenStages().contains(name);
    return new NetworkScope(tf.withSubScope(name), build, settings, prefix + name + ".",
        frozenChild);
  }

  Ops tf() {
    return tf;
  }

  /** The build's mode; {@link Mode#INFERENCE} in a frozen stage. */
  Mode mode() {
    return frozen ? Mode.INFERENCE : build.mode();
  }

  boolean training() {
    return mode() == Mode.TRAIN;
  }

  /** Whether the build trains memory-efficiently: never outside {@link Mode#TRAIN}. */
  boolean memoryEfficient() {
    return build.memoryEfficient() && training();
  }

  NetworkSettings settings() {
    return settings;
  }

  VariableStore store() {
    return build.store();
  }

  /** The variable-name prefix: "" at the root, else e.g. {@code "layer1.0."}. */
  String prefix() {
    return prefix;
  }

  /** The seed pair of the next dropout op of this build, built in this scope. */
  Operand<TInt64> nextDropoutSeed() {
    return build.dropoutSeeds().next(tf, prefix);
  }

  /**
   * Variable {@code prefix + name}: the graph's, when an earlier build made it (its shape and
   * trainability must agree), else made in this scope. A build may use each name once.
   */
  Variable<TFloat32> variable(String name, Shape shape, Init init, boolean trainable) {
    String fullName = prefix + name;
    VariableStore store = build.store();
    store.checkFree(fullName);
    Variable<TFloat32> variable = build.registry().getOrCreate(fullName, shape, trainable,
        () -> VariableDevices.place(tf, fullName, trainable).withName(name)
            .variable(shape, TFloat32.class));
    store.add(new VariableStore.Entry(fullName, variable, shape, init, trainable));
    if (frozen) {
      store.markFrozen(fullName);
    }
    return variable;
  }

  /** The variable's value as an ordinary tensor (gradients are taken through this identity). */
  Operand<TFloat32> read(Variable<TFloat32> variable) {
    return tf.identity(variable);
  }
}
