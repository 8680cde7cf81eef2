package dev.netspec.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables one build of a network uses, in the order it asked for them, by their
 * PyTorch-style dotted names ({@code layer1.0.conv1.weight}), plus the ops of that build that
 * update BatchNorm running statistics. Builds of one network into one graph (one per mode) use
 * the same variables, each listed in its own store.
 *
 * <p>Variables of stages frozen for fine-tuning ({@link ModelOptions#frozenThrough()}) stay
 * trainable in kind, as PyTorch's parameters, but are left out of {@link #trainable()}: what a
 * training step updates.
 *
 * <p>Not thread-safe: a network is built on one thread.
 */
public final class VariableStore {

  /** One variable: its name, the graph variable, its shape, how to fill it and whether it trains. */
  public record Entry(
      String name, Variable<TFloat32> variable, Shape shape, Init init, boolean trainable) {

    /** The number of elements. */
    public long size() {
      return shape.size();
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final List<Op> updateOps = new ArrayList<>();
  private final Set<String> frozen = new HashSet<>();

  /** Fails with a clear message when {@code name} is already taken. */
  public void checkFree(String name) {
    if (entries.containsKey(name)) {
      throw new IllegalArgumentException(
          "variable '" + name + "' is already defined; every stage and unit needs its own name");
    }
  }

  /** Adds an entry; names must be unique. */
  public Entry add(Entry entry) {
    checkFree(entry.name());
    entries.put(entry.name(), entry);
    return entry;
  }

  /** Marks variable {@code name}, already added, as frozen: no training step changes it. */
  public void markFrozen(String name) {
    get(name);
    frozen.add(name);
  }

  /** Whether variable {@code name} is frozen. */
  public boolean isFrozen(String name) {
    return frozen.contains(name);
  }

  /** Registers an op to run on every training step (a BatchNorm running-statistics update). */
  public void addUpdateOp(Op op) {
    updateOps.add(op);
  }

  /** All entries in creation order. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  public Optional<Entry> find(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** The entry called {@code name}; an IllegalArgumentException naming close matches if none. */
  public Entry get(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException("no variable named '" + name + "' (" + entries.size()
          + " variables" + (entries.isEmpty() ? "" : ", e.g. '" + entries.keySet().iterator().next()
          + "'") + ")");
    }
    return entry;
  }

  public int size() {
    return entries.size();
  }

  /** The variables a training step updates by name, in creation order: trainable, not frozen. */
  public Map<String, Variable<TFloat32>> trainable() {
    Map<String, Variable<TFloat32>> result = new LinkedHashMap<>();
    for (Entry e : entries.values()) {
      if (e.trainable() && !frozen.contains(e.name())) {
        result.put(e.name(), e.variable());
      }
    }
    return Collections.unmodifiableMap(result);
  }

  /**
   * The number of trainable elements (PyTorch's {@code sum(p.numel() for p in parameters())}),
   * frozen ones included.
   */
  public long parameterCount() {
    long count = 0;
    for (Entry e : entries.values()) {
      if (e.trainable()) {
        count += e.size();
      }
    }
    return count;
  }

  /** The number of elements a training step updates: {@link #parameterCount()} less the frozen. */
  public long trainedParameterCount() {
    long count = 0;
    for (Entry e : entries.values()) {
      if (e.trainable() && !frozen.contains(e.name())) {
        count += e.size();
      }
    }
    return count;
  }

  /** The BatchNorm running-statistics updates, empty for a network built for inference. */
  public List<Op> updateOps() {
    return Collections.unmodifiableList(updateOps);
  }
}
