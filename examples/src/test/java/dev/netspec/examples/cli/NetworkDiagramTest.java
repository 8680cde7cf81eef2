package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.zoo.ResNet8;
import dev.netspec.runtime.NetworkDescription;
import dev.netspec.runtime.StageInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diagram of stage kinds from their {@link StageInfo} alone. */
class NetworkDiagramTest {

  @Test
  void dualPathStagesShowBothPathsAndUnknownKindsGetABox() {
    List<StageInfo> stages = List.of(
        new StageInfo("conv1", "Conv", 56, 56, 64, 4, false, 9408, 0),
        new StageInfo("conv2", "DualPath", 56, 56, 336, 4, false, 400000, 0,
            "DualPath res 256 + dense 80"),
        new StageInfo("mixer", "Hologram", 56, 56, 336, 4, false, 42, 0),
        new StageInfo("fc", "Classifier", 1, 1, 1000, 0, true, 337000, 0));
    NetworkDescription network = new NetworkDescription(ResNet8.class, 3, 224, 224, 32, 1000, 0,
        746450, -1, stages, List.of());
    String dot = NetworkDiagram.dot(network, Map.of("conv2", 3));
    assertTrue(dot.contains("\"conv2/blocks\" [label=\"3 dual-path blocks\\n1×1 → grouped 3×3 → "
        + "1×1\""), dot);
    assertTrue(dot.contains("label=\"conv2 · DualPath res 256 + dense 80 · 400,000 parameters\""),
        dot);
    assertTrue(dot.contains("\"conv2/blocks\" -> \"conv2/add\" [label=\"residual part\"]"), dot);
    assertTrue(dot.contains("\"conv2/blocks\" -> \"conv2/concat\" [label=\"dense part\"]"), dot);
    assertTrue(dot.contains("\"conv1\" -> \"conv2/add\" [label=\"shortcut (residual)\", "
        + "style=dashed]"), dot);
    assertTrue(dot.contains("\"conv1\" -> \"conv2/concat\" [label=\"shortcut (dense)\", "
        + "style=dashed]"), dot);
    assertTrue(dot.contains("\"conv2/out\" -> \"mixer\" [label=\"56×56×336\"]"), dot);
    assertTrue(dot.contains("\"mixer\" [label=\"mixer\\nHologram\\n56×56×336\", shape=box, "
        + "fillcolor=\"#e0e0e0\"]"), dot);
    assertTrue(dot.contains("\"fc\" -> \"output\" [label=\"1000\"]"), dot);
  }
}
