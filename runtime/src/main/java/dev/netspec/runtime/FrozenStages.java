package dev.netspec.runtime;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The stages that {@link ModelOptions#frozenThrough()} freezes: every stage of a network's
 * descriptor up to and including the one named, which must exist and leave a later stage to
 * train.
 */
public final class FrozenStages {
  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private FrozenStages() {}

  /**
   * The names of the stages up to and including {@code stage}, in order.
   *
   * @throws IllegalArgumentException when {@code network} has no such stage (naming the closest
   *     one, or listing them all), or when it is the last stage, which would leave nothing to train
   */
  public static Set<String> through(NetworkDescriptor<?> network, String stage) {
    List<String> names = network.stages().stream().map(StageInfo::name).toList();
    int index = names.indexOf(stage);
    if (index < 0) {
      throw new IllegalArgumentException("cannot freeze through '" + stage + "': "
          + network.name() + " has no such stage" + closest(stage, names)
              .map(c -> "; did you mean '" + c + "'?").orElse(".")
          + " Its stages: " + String.join(", ", names));
    }
    if (index == names.size() - 1) {
      throw new IllegalArgumentException("cannot freeze through '" + stage + "': it is "
          + network.name() + "'s last stage, so nothing would be left to train; freeze through "
          + "an earlier stage" + (names.size() > 1 ? " (at most '" + names.get(index - 1) + "')"
              : ""));
    }
    return new LinkedHashSet<>(names.subList(0, index + 1));
  }

  /** The stage name at most a third of its length (and at least one edit) from {@code name}. */
  private static Optional<String> closest(String name, List<String> names) {
    return names.stream()
        .filter(n -> DISTANCE.apply(name, n) <= Math.max(1, n.length() / 3))
        .min(Comparator.comparingInt((String n) -> DISTANCE.apply(name, n)));
  }
}
