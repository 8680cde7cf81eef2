package dev.netspec.examples.property;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.annotations.Act;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How many passing tries exercised each feature and each activation, so that a generator that
 * stops producing one of them fails the property instead of testing less in silence.
 */
final class Coverage {
  private final Map<Feature, Integer> features = new EnumMap<>(Feature.class);
  private final Map<Act, Integer> activations = new EnumMap<>(Act.class);
  private int tries;

  void count(RandomSpec spec) {
    tries++;
    spec.features().forEach(feature -> features.merge(feature, 1, Integer::sum));
    spec.activations().forEach(act -> activations.merge(act, 1, Integer::sum));
  }

  /** Fails unless every feature and every activation but {@code Act.DEFAULT} appeared. */
  void assertEverythingAppeared() {
    List<Enum<?>> missing = Stream.<Enum<?>>concat(
        Stream.of(Feature.values()).filter(feature -> !features.containsKey(feature)),
        Stream.of(Act.values()).filter(act -> act != Act.DEFAULT && !activations.containsKey(act)))
        .toList();
    assertTrue(missing.isEmpty(), () -> "no spec of " + tries + " tries had " + missing
        + "; a generator no longer draws them. Features seen: " + features
        + "; activations seen: " + activations);
  }
}
