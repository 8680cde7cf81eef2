package dev.netspec.runtime.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rule for every value netspec loads or saves as weights: finite, no NaN and no infinity. A
 * NaN or infinite weight, BatchNorm statistic or optimizer moment makes every output after it
 * NaN or saturated, so such a tensor is refused wherever it would enter or leave a model: weight
 * import, checkpoint writing and checkpoint loading.
 *
 * <p>Collects what it finds over many tensors, so that one message can name them all.
 */
public final class FiniteValues {
  /** Tensors named in a one-line summary; the count says how many more there are. */
  private static final int NAMED = 4;

  /** A tensor holding {@code nan} NaNs and {@code infinite} infinities among {@code size}. */
  public record Offender(String tensor, int nan, int infinite, int size) {
    /** Like "'conv1.bn.running_var' holds 16 infinite values (of 16)". */
    public String describe() {
      List<String> kinds = new ArrayList<>();
      if (nan > 0) {
        kinds.add(nan == 1 ? "NaN" : nan + " NaNs");
      }
      if (infinite > 0) {
        kinds.add(infinite == 1 ? "an infinite value" : infinite + " infinite values");
      }
      return "'" + tensor + "' holds " + String.join(" and ", kinds) + " (of " + size + ")";
    }

    public int count() {
      return nan + infinite;
    }
  }

  private final List<Offender> offenders = new ArrayList<>();

  /** What tensor {@code name} holds that is not finite; empty when every value is finite. */
  public static Optional<Offender> inspect(String name, float[] values) {
    int nan = 0;
    int infinite = 0;
    for (float v : values) {
      if (!Float.isFinite(v)) {
        if (Float.isNaN(v)) {
          nan++;
        } else {
          infinite++;
        }
      }
    }
    return nan + infinite == 0 ? Optional.empty()
        : Optional.of(new Offender(name, nan, infinite, values.length));
  }

  /** Inspects tensor {@code name} and remembers it if it breaks the rule. */
  public void check(String name, float[] values) {
    inspect(name, values).ifPresent(offenders::add);
  }

  public boolean allFinite() {
    return offenders.isEmpty();
  }

  /** The tensors found holding non-finite values, in the order they were checked. */
  public List<Offender> offenders() {
    return List.copyOf(offenders);
  }

  /** One line: "410 values in 9 tensors are not finite: 'a' holds …, 'b' holds …, … (5 more)". */
  public String summary() {
    return summary(offenders);
  }

  /** {@link #summary()} of {@code offenders}. */
  public static String summary(List<Offender> offenders) {
    long values = offenders.stream().mapToLong(Offender::count).sum();
    StringBuilder text = new StringBuilder();
    text.append(values).append(values == 1 ? " value" : " values").append(" in ")
        .append(offenders.size()).append(offenders.size() == 1 ? " tensor" : " tensors")
        .append(values == 1 ? " is" : " are").append(" not finite: ");
    List<String> named = offenders.stream().limit(NAMED).map(Offender::describe).toList();
    text.append(String.join(", ", named));
    if (offenders.size() > NAMED) {
      text.append(", … (").append(offenders.size() - NAMED).append(" more)");
    }
    return text.toString();
  }

  /**
   * Throws {@link NonFiniteValuesException}, "{@code what}: {@link #summary()}; {@code advice}",
   * when a tensor broke the rule.
   */
  public void requireAllFinite(String what, String advice) {
    if (!offenders.isEmpty()) {
      throw new NonFiniteValuesException(what + ": " + summary() + "; " + advice, offenders);
    }
  }
}
