package dev.netspec.processor.block;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "did you mean" for a misspelled name: the closest of the known names, if close enough. */
public final class Suggestions {
  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private Suggestions() {}

  /**
   * The known name at most a third of its length (and at least one edit) away from {@code name};
   * two neighbouring letters swapped ("widht") count as one edit, the commonest typo.
   */
  public static Optional<String> closest(String name, Collection<String> known) {
    return known.stream()
        .filter(k -> distance(name, k) <= Math.max(1, k.length() / 3))
        .min(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(k -> k));
  }

  private static int distance(String a, String b) {
    return swapped(a, b) ? 1 : DISTANCE.apply(a, b);
  }

  /** Whether {@code b} is {@code a} with one pair of neighbouring characters swapped. */
  private static boolean swapped(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    int i = 0;
    while (i < a.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i + 1 < a.length() && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
        && a.substring(i + 2).equals(b.substring(i + 2));
  }

  /** "; did you mean 'expand'?" or, where nothing is close, the list of known names. */
  public static String hint(String name, Collection<String> known) {
    return closest(name, known).map(k -> "; did you mean '" + k + "'?")
        .orElse(known.isEmpty() ? "" : "; the names are " + String.join(", ", known.stream().sorted().toList()));
  }
}
