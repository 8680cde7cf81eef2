package dev.netspec.examples.property;

import java.util.Arrays;
import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The few ways of drawing that the generators share. QuickTheories shrinks a pick toward the
 * first value and a weighted choice toward the first generator, so each list starts with the
 * simplest: a failing spec shrinks toward those.
 */
final class Draws {
  private Draws() {}

  /** One of {@code values}, shrinking toward the first. */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return Generate.pick(List.of(values));
  }

  /** A value of one of {@code gens}, each as likely, shrinking toward the first. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return Generate.frequency(Arrays.stream(gens).map(gen -> Draws.<T>weight(1, gen)).toList());
  }

  /** {@code gen} with its {@code weight} for {@link Generate#frequency}, widened to {@code T}. */
  static <T> Pair<Integer, Gen<T>> weight(int weight, Gen<? extends T> gen) {
    Gen<T> widened = gen::generate;
    return Pair.of(weight, widened);
  }
}
