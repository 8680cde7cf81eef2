package dev.netspec.runtime.io;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.StageInfo;
import dev.netspec.runtime.VariableStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an import needs to know about a network's variables beyond their shapes, read from the
 * network's descriptor's stage table: the {@link NetworkDescriptor#head() head}, the linear
 * layers that read a flattened feature map, and the input convolution (the first convolution
 * weight created, which reads the images).
 */
final class VariableRoles {
  private final List<String> headPrefixes;
  private final Map<String, int[]> flattenedInputs;
  private final String inputConv;
  private final boolean described;

  private VariableRoles(List<String> headPrefixes, Map<String, int[]> flattenedInputs,
      String inputConv, boolean described) {
    this.headPrefixes = headPrefixes;
    this.flattenedInputs = flattenedInputs;
    this.inputConv = inputConv;
    this.described = described;
  }

  static VariableRoles of(Model<?> model) {
    String inputConv = model.variables().entries().stream()
        .filter(e -> e.shape().numDimensions() == 4)
        .map(VariableStore.Entry::name)
        .findFirst().orElse(null);
    Optional<List<StageInfo>> described = model.descriptor().map(NetworkDescriptor::stages);
    if (described.isEmpty()) {
      return new VariableRoles(List.of(), Map.of(), inputConv, false);
    }
    List<StageInfo> stages = described.get();
    List<String> head = model.descriptor().orElseThrow().head().stream()
        .map(stage -> stage.name() + ".").toList();
    Map<String, int[]> flattened = new HashMap<>();
    for (int i = 1; i < stages.size(); i++) {
      if (stages.get(i).linear() && stages.get(i - 1).flat() && !stages.get(i - 1).linear()) {
        // the flattened map: the last stage before it that still has one, if no linear layer
        // came between (a classifier pools its map instead, and is not flat before it)
        for (int j = i - 1; j >= 0 && !stages.get(j).linear(); j--) {
          StageInfo map = stages.get(j);
          if (!map.flat()) {
            flattened.put(stages.get(i).name() + ".weight",
                new int[] {map.height(), map.width(), map.channels()});
            break;
          }
        }
      }
    }
    return new VariableRoles(head, flattened, inputConv, true);
  }

  /** Whether the network came with a stage table (a descriptor). */
  boolean described() {
    return described;
  }

  boolean inHead(String variable) {
    return headPrefixes.stream().anyMatch(variable::startsWith);
  }

  boolean hasHead() {
    return !headPrefixes.isEmpty();
  }

  /** {@code [height, width, channels]} of the map a linear weight reads flattened, or null. */
  int[] flattenedInput(String variable) {
    return flattenedInputs.get(variable);
  }

  boolean isInputConv(String variable) {
    return variable.equals(inputConv);
  }
}
