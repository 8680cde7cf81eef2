package dev.netspec.processor.model;

import dev.netspec.processor.ir.ShapedGraph;
import dev.netspec.processor.ir.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the shape arithmetic through a sequence of stages, checking each at its input, and goes on
 * past a stage whose rules fail, so that one compile reports every independent problem.
 *
 * <p>The output of a stage that fails is unknown: its shape would be a guess, and a guessed shape
 * makes the stages after it report problems that are not theirs and that vanish with the first
 * fix (a conv with {@code channels = 0} would leave a transition "0 channels to compress"). So
 * from the first failure on, each stage is checked only for the rules of its own settings
 * ({@link Stage#checkSettings}), which hold whatever its input; the rules that need its input wait
 * for the next compile. The same holds after a stage that could not be made at all (an empty
 * slot, whose problems are reported where it was read) and from an image that is invalid.
 *
 * @param stages the stages placed with their shapes: those before the first failure
 * @param failures each stage that breaks a rule, in order
 * @param complete whether every stage was placed: the whole network's shapes are known
 */
public record Walk(List<StageModel> stages, List<Failure> failures, boolean complete) {

  /** The stage at {@code index} (of the walk's stages) and the rules it breaks. */
  public record Failure(int index, List<Problem> problems) {}

  /** A walk through stages that all exist, from a known input. */
  public static Walk of(List<NamedStage> stages, TensorShape input) {
    return through(stages.stream().map(Optional::of).toList(), Optional.of(input));
  }

  /**
   * A walk through {@code slots}, where an empty slot is a stage that could not be made, from
   * {@code input}, empty where the image is invalid.
   */
  public static Walk through(List<Optional<NamedStage>> slots, Optional<TensorShape> input) {
    List<StageModel> placed = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    TensorShape x = input.orElse(null);
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i).isEmpty()) {
        x = null;
        continue;
      }
      NamedStage named = slots.get(i).get();
      Stage stage = named.stage();
      if (x == null) {
        List<Problem> problems = stage.checkSettings();
        if (!problems.isEmpty()) {
          failures.add(new Failure(i, problems));
        }
        continue;
      }
      List<Problem> problems = stage.check(x);
      if (!problems.isEmpty()) {
        failures.add(new Failure(i, problems));
        x = null;
        continue;
      }
      ShapedGraph graph = stage.at(x);
      TensorShape y = graph.output();
      if (y.channels() < 1 || y.channels() > Rules.LIMIT * 16) {
        failures.add(new Failure(i, List.of(Problem.whole("@" + stage.kind() + " would yield "
            + (long) y.channels() + " channels; netspec builds at most " + Rules.LIMIT * 16))));
        x = null;
        continue;
      }
      placed.add(new StageModel(named.name(), stage, x, graph));
      x = y;
    }
    return new Walk(List.copyOf(placed), List.copyOf(failures), x != null);
  }

  /** Whether every stage was placed without a problem. */
  public boolean ok() {
    return complete;
  }

  /** The index of the first stage that fails, -1 if none. */
  public int failedStage() {
    return failures.isEmpty() ? -1 : failures.get(0).index();
  }

  /** The problems of the first stage that fails; empty if none. */
  public List<Problem> problems() {
    return failures.isEmpty() ? List.of() : failures.get(0).problems();
  }
}
