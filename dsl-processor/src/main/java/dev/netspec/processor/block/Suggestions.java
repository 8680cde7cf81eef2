package dev.netspec.processor.block;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "did you mean" for a misspelled name: the closest of the known names, if close enough. */
public final class Suggestions {
  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private Suggestions() {}

  /** The known name at most a third of its length (and at least one edit) away from {@code name}. */
  public static Optional<String> closest(String name, Collection<String> known) {
    return known.stream()
        .filter(k -> DISTANCE.apply(name, k) <= Math.max(1, k.length() / 3))
        .min(Comparator.comparingInt((String k) -> DISTANCE.apply(name, k)).thenComparing(k -> k));
  }

  /** "; did you mean 'expand'?" or, where nothing is close, the list of known names. */
  public static String hint(String name, Collection<String> known) {
    return closest(name, known).map(k -> "; did you mean '" + k + "'?")
        .orElse(known.isEmpty() ? "" : "; the names are " + String.join(", ", known.stream().sorted().toList()));
  }
}
