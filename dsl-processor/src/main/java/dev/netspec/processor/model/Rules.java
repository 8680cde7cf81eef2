package dev.netspec.processor.model;

import dev.netspec.processor.ir.TensorShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Collects the problems of one stage or modifier; the common rules in one place. */
final class Rules {
  private final String kind;
  /** The modifier these rules are about; null for the stage annotation. */
  private final String modifier;
  private final List<Problem> problems = new ArrayList<>();

  Rules(String kind) {
    this(kind, null);
  }

  private Rules(String kind, String modifier) {
    this.kind = kind;
    this.modifier = modifier;
  }

  /** Rules of a modifier annotation, such as "SqueezeExcite": problems name it. */
  static Rules modifier(String kind) {
    return new Rules(kind, kind);
  }

  /** Larger counts make no network that fits in memory, and would overflow the arithmetic. */
  static final int LIMIT = 1 << 20;

  Rules positive(String attribute, int value) {
    if (value < 1) {
      add(attribute, "@" + kind + "(" + attribute + " = " + value + ") must be at least 1");
    } else if (value > LIMIT) {
      add(attribute, "@" + kind + "(" + attribute + " = " + value + ") is beyond what netspec"
          + " builds (at most " + LIMIT + ")");
    }
    return this;
  }

  /**
   * Every repetition becomes nodes of the stage's graph, so the count is bounded far below {@link
   * #LIMIT}: the deepest published networks repeat a block about a hundred times in a stage.
   */
  static final int REPEAT_LIMIT = 4096;

  /** A count of repeated blocks or layers: at least 1, at most {@link #REPEAT_LIMIT}. */
  Rules repeats(String attribute, int value) {
    if (value > REPEAT_LIMIT) {
      return add(attribute, "@" + kind + "(" + attribute + " = " + value + ") repeats more than"
          + " netspec builds in one stage (at most " + REPEAT_LIMIT + "); split it into several"
          + " stages or use fewer");
    }
    return positive(attribute, value);
  }

  Rules notNegative(String attribute, int value) {
    if (value < 0) {
      add(attribute, "@" + kind + "(" + attribute + " = " + value + ") cannot be negative");
    }
    return this;
  }

  Rules rate(String attribute, double value) {
    if (!(value >= 0 && value < 1)) {
      add(attribute, "@" + kind + "(" + attribute + " = " + value + ") must be in [0, 1)");
    }
    return this;
  }

  /** Stages that work on [N, H, W, C] cannot follow @GlobalPool, @Flatten or a classifier. */
  Rules featureMap(TensorShape in) {
    if (in.flat()) {
      add(null, "@" + kind + " needs a feature map [N, H, W, C], but its input is already flat ("
          + in.channels() + " features, after a @GlobalPool, @Flatten, @Dense or @Classifier);"
          + " move it before the flattening stage");
    }
    return this;
  }

  /** A window of {@code span} (kernel with dilation) must fit the padded fixed input. */
  Rules fits(String attribute, TensorShape in, int span, int padding) {
    if (in.flat() || !in.fixed()) {
      return this;
    }
    int smallest = Math.min(in.height(), in.width());
    if (span > smallest + 2 * padding) {
      add(attribute, "@" + kind + " window of " + span + "x" + span + " is larger than its "
          + in.height() + "x" + in.width() + " input" + (padding > 0 ? " padded by " + padding : "")
          + "; use a kernel of at most " + (smallest + 2 * padding) + " or move the stage earlier");
    }
    return this;
  }

  Rules add(String attribute, String message) {
    problems.add(new Problem(attribute, message, modifier));
    return this;
  }

  /** A problem found elsewhere, such as a modifier's. */
  Rules add(Problem problem) {
    problems.add(problem);
    return this;
  }

  boolean ok() {
    return problems.isEmpty();
  }

  /**
   * Whether none of these attributes (of this annotation) broke a rule so far: a rule that needs
   * them runs only then, so that it neither fails on a value already reported (groups = 0 in a
   * division) nor reports a problem that the first one's fix would change.
   */
  boolean valid(String... attributes) {
    for (Problem problem : problems) {
      if (Objects.equals(problem.modifier(), modifier)
          && Arrays.asList(attributes).contains(problem.attribute())) {
        return false;
      }
    }
    return true;
  }

  List<Problem> list() {
    return List.copyOf(problems);
  }
}
