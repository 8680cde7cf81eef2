package dev.netspec.runtime.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.ndarray.Shape;

/**
 * A state dict held in memory: float32 tensors in PyTorch's layout by name, in insertion order.
 * For weights made in code, converted from another format, or in tests.
 */
public final class MapStateDict implements StateDict {
  private record Tensor(Shape shape, float[] values) {}

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  /** Adds (or replaces) tensor {@code name}; {@code values} are row-major in {@code shape}. */
  public MapStateDict put(String name, Shape shape, float... values) {
    if (shape.hasUnknownDimension() || shape.size() != values.length) {
      throw new IllegalArgumentException("tensor '" + name + "' of shape " + shape + " needs "
          + shape.size() + " values, got " + values.length);
    }
    tensors.put(name, new Tensor(shape, values.clone()));
    return this;
  }

  /** Removes tensor {@code name}, if present. */
  public MapStateDict remove(String name) {
    tensors.remove(name);
    return this;
  }

  @Override
  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  @Override
  public Shape shape(String name) {
    return tensor(name).shape();
  }

  @Override
  public Optional<String> unreadable(String name) {
    tensor(name);
    return Optional.empty();
  }

  @Override
  public float[] read(String name) {
    return tensor(name).values().clone();
  }

  private Tensor tensor(String name) {
    Tensor tensor = tensors.get(name);
    if (tensor == null) {
      throw new IllegalArgumentException("no tensor '" + name + "'");
    }
    return tensor;
  }
}
