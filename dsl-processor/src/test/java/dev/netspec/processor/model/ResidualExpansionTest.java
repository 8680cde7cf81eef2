package dev.netspec.processor.model;

import static com.google.common.truth.Truth.assertThat;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.ShapedGraph;
import dev.netspec.processor.ir.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A family's expansion: the nodes, shapes and variables of torchvision's first bottleneck. */
class ResidualExpansionTest {

  private static List<String> nodes(ShapedGraph graph) {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < graph.graph().nodes().size(); i++) {
      Graph.Node node = graph.graph().nodes().get(i);
      nodes.add(node.name() + " " + node.op().describe() + " " + graph.shape(i).describe());
    }
    return nodes;
  }

  @Test
  void resnet50Layer1FirstBlock() {
    ResidualStage stage = new ResidualStage(1, 64, Block.BOTTLENECK, 1, 1, 64, false, 0,
        Downsample.CONV, Act.RELU);
    ShapedGraph graph = stage.at(new TensorShape(64, 4, 56, 56, false));
    assertThat(nodes(graph)).containsExactly(
        "0.conv1 conv 1x1 -> 64 56x56x64",
        "0.bn1 bn 56x56x64",
        "0.act1 relu 56x56x64",
        "0.conv2 conv 3x3 -> 64 56x56x64",
        "0.bn2 bn 56x56x64",
        "0.act2 relu 56x56x64",
        "0.conv3 conv 1x1 -> 256 56x56x256",
        "0.bn3 bn 56x56x256",
        "0.downsample.0 conv 1x1 -> 256 56x56x256",
        "0.downsample.1 bn 56x56x256",
        "0.add + 56x56x256",
        "0.act3 relu 56x56x256").inOrder();
    assertThat(graph.graph().nodes().get(10).inputs()).containsExactly(7, 9).inOrder();
    assertThat(graph.parameters().stream()
        .filter(p -> p.name().startsWith("0.conv") || p.name().startsWith("0.downsample.0"))
        .map(p -> p.name() + " " + p.describeShape())).containsExactly(
            "0.conv1.weight [64, 64, 1, 1]", "0.conv2.weight [64, 64, 3, 3]",
            "0.conv3.weight [256, 64, 1, 1]", "0.downsample.0.weight [256, 64, 1, 1]").inOrder();
    assertThat(graph.parameters().stream().filter(p -> !p.trainable())
        .map(p -> p.name())).contains("0.bn1.running_mean");
    // torchvision's layer1[0]: 75,008 parameters; MACs at 56x56
    assertThat(graph.cost().parameters()).isEqualTo(75_008);
    assertThat(graph.cost().macs())
        .isEqualTo((64L * 64 + 9 * 64 * 64 + 64 * 256 + 64 * 256) * 56 * 56);
  }

  @Test
  void strideMovesToTheFirstBlockOnlyAndTheIdentityShortcutHasNoNode() {
    ResidualStage stage = new ResidualStage(2, 8, Block.BASIC, 2, 1, 64, false, 0,
        Downsample.AVG_CONV, Act.RELU);
    ShapedGraph graph = stage.at(TensorShape.image(4, 9, 9));
    List<String> nodes = nodes(graph);
    assertThat(nodes).contains("0.downsample.0 avg pool 2x2 /2 ceil 5x5x4");
    assertThat(nodes).contains("0.downsample.1 conv 1x1 -> 8 5x5x8");
    assertThat(nodes.stream().filter(n -> n.startsWith("1.downsample"))).isEmpty();
    assertThat(nodes).contains("1.conv1 conv 3x3 -> 8 5x5x8");
    assertThat(graph.output()).isEqualTo(new TensorShape(8, 2, 5, 5, false));
  }
}
