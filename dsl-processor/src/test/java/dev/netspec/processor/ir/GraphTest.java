package dev.netspec.processor.ir;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netspec.annotations.Act;
import org.junit.jupiter.api.Test;

/** A graph's walk: shapes per node, variables named by scope, summed cost; inlining. */
class GraphTest {

  /** conv 3x3 -> bn -> relu, added to a 1x1 projection of the input. */
  private static Graph block() {
    Graph.Builder g = Graph.builder();
    int y = g.add("conv1", Conv.of(8, 3, 2), Graph.INPUT);
    y = g.add("bn1", new BatchNorm(), y);
    y = g.add("act1", new Activation(Act.PRELU), y);
    int shortcut = g.add("downsample", Conv.of(8, 1, 2), Graph.INPUT);
    return g.build(g.add("add", new Add(), y, shortcut));
  }

  @Test
  void walksShapesVariablesAndCost() {
    ShapedGraph walked = block().at(TensorShape.image(4, 8, 8));
    assertThat(walked.output()).isEqualTo(new TensorShape(8, 2, 4, 4, false));
    assertThat(walked.shape(0)).isEqualTo(new TensorShape(8, 2, 4, 4, false));
    assertThat(walked.shape(Graph.INPUT)).isEqualTo(TensorShape.image(4, 8, 8));
    assertThat(walked.parameters().stream().map(p -> p.name() + " " + p.describeShape()))
        .containsExactly("conv1.weight [8, 4, 3, 3]", "bn1.weight [8]", "bn1.bias [8]",
            "bn1.running_mean [8]", "bn1.running_var [8]", "act1.weight [8]",
            "downsample.weight [8, 4, 1, 1]").inOrder();
    // trainable only: 288 + 16 + 8 + 32; MACs of both convolutions at 4x4
    assertThat(walked.cost()).isEqualTo(new Cost(288 + 16 + 8 + 32, (288 + 32) * 16));
  }

  @Test
  void inlinesAGraphInAScope() {
    Graph.Builder g = Graph.builder();
    int x = g.inline("0", block(), Graph.INPUT);
    x = g.inline("1", block(), x);
    Graph twice = g.build(x);
    assertThat(twice.nodes().get(5).name()).isEqualTo("1.conv1");
    assertThat(twice.nodes().get(5).inputs()).containsExactly(4);
    ShapedGraph walked = twice.at(TensorShape.image(4, 8, 8));
    assertThat(walked.output()).isEqualTo(new TensorShape(8, 4, 2, 2, false));
    assertThat(walked.parameters().get(walked.parameters().size() - 1).name())
        .isEqualTo("1.downsample.weight");
  }

  @Test
  void anEmptyGraphIsTheIdentity() {
    ShapedGraph walked = Graph.builder().build(Graph.INPUT).at(TensorShape.flat(10));
    assertThat(walked.output()).isEqualTo(TensorShape.flat(10));
    assertThat(walked.cost()).isEqualTo(Cost.NONE);
  }

  @Test
  void edgesPointBackwards() {
    Graph.Builder g = Graph.builder();
    assertThrows(IllegalArgumentException.class, () -> g.add("add", new Add(), Graph.INPUT, 0));
    assertThat(Graph.join("", "weight")).isEqualTo("weight");
    assertThat(Graph.join("layer1.0", "")).isEqualTo("layer1.0");
    assertThat(Graph.join("a", "b")).isEqualTo("a.b");
  }
}
