package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/**
 * A checked network: every stage with its shapes and cost. What the writer generates from.
 *
 * @param packageName the spec's package, where the generated class goes
 * @param className the generated class's simple name
 * @param spec the spec interface's name as it is referenced from the package (Outer.Inner)
 * @param activation the network's activation, which every unit uses unless it says otherwise
 * @param epsilon every BatchNorm's epsilon unless it sets its own
 * @param minInputSize the smallest image side the network accepts (see {@link MinimumInput})
 */
public record NetworkModel(
    String packageName, String className, String spec, TensorShape input, List<StageModel> stages,
    Act activation, double epsilon, int minInputSize) {

  public TensorShape output() {
    return stages.get(stages.size() - 1).output();
  }

  public Cost cost() {
    return stages.stream().map(StageModel::cost).reduce(Cost.NONE, Cost::plus);
  }

  /**
   * Whether convolutions are initialized with fan-in (DenseNet's choice in torchvision) rather
   * than fan-out (ResNet's).
   */
  public boolean fanIn() {
    return stages.stream().anyMatch(s -> s.stage().initializesFanIn());
  }

  public int indexOf(String stageName) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).name().equals(stageName)) {
        return i;
      }
    }
    return -1;
  }
}
