package dev.netspec.processor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the shape arithmetic through a sequence of stages. Stops at the first stage whose rules
 * fail, since every later shape would be a guess.
 */
public record Walk(List<StageModel> stages, int failedStage, List<Problem> problems) {

  public static Walk of(List<NamedStage> stages, TensorShape input) {
    List<StageModel> placed = new ArrayList<>();
    TensorShape x = input;
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i).stage();
      List<Problem> problems = stage.check(x);
      if (!problems.isEmpty()) {
        return new Walk(List.copyOf(placed), i, problems);
      }
      TensorShape y = stage.output(x);
      if (y.channels() < 1 || y.channels() > Rules.LIMIT * 16) {
        return new Walk(List.copyOf(placed), i, List.of(Problem.whole("@" + stage.kind() + " would yield "
            + (long) y.channels() + " channels; netspec builds at most " + Rules.LIMIT * 16)));
      }
      placed.add(new StageModel(stages.get(i).name(), stage, x, y, stage.cost(x)));
      x = y;
    }
    return new Walk(List.copyOf(placed), -1, List.of());
  }

  public boolean ok() {
    return failedStage < 0;
  }

  public Cost cost() {
    return stages.stream().map(StageModel::cost).reduce(Cost.NONE, Cost::plus);
  }
}
