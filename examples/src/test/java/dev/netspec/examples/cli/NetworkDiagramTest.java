package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.zoo.ResNet8;
import dev.netspec.runtime.InputShape;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.StageInfo;
import dev.netspec.runtime.StageKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diagram of stage kinds from their {@link StageInfo} alone. */
class NetworkDiagramTest {

  @Test
  void dualPathStagesShowBothPathsAndOtherKindsGetABox() {
    List<StageInfo> stages = List.of(
        new StageInfo("conv1", StageKind.CONV, 56, 56, 64, 4, false, 9408, 0),
        new StageInfo("conv2", StageKind.DUAL_PATH, 56, 56, 336, 4, false, 400000, 0,
            "DualPath res 256 + dense 80"),
        new StageInfo("mixer", StageKind.NORMALIZE, 56, 56, 336, 4, false, 42, 0),
        new StageInfo("fc", StageKind.CLASSIFIER, 1, 1, 1000, 0, true, 337000, 0));
    NetworkDescriptor<ResNet8> resnet8 = ResNet8.DESCRIPTOR;
    NetworkDescriptor<ResNet8> network = new NetworkDescriptor<>(ResNet8.class,
        new InputShape(3, 224, 224, 32), 1000, 0, 746450, -1, stages, List.of(),
        resnet8.builder(), resnet8.stagesBuilder(), resnet8.stageOutputs());
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
    assertTrue(dot.contains("\"mixer\" [label=\"mixer\\nNormalize\\n56×56×336\", shape=box, "
        + "fillcolor=\"#e0e0e0\"]"), dot);
    assertTrue(dot.contains("\"fc\" -> \"output\" [label=\"1000\"]"), dot);
  }
}
