package dev.netspec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netspec.runtime.layers.Layers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** What a descriptor states and how it reads a built network's stages. */
class NetworkDescriptorTest {

  @Test
  void statesTheClassConstants() {
    NetworkDescriptor<TinyNet> tiny = TinyNet.DESCRIPTOR;
    assertEquals("TinyNet", tiny.name());
    assertEquals("8x8x3", tiny.input().describe());
    assertEquals("?x?x1", DynamicNet.DESCRIPTOR.input().describe());
    assertEquals(TinyNet.PARAMETERS, tiny.parameters());
    assertEquals("fc", tiny.lastStage().name());
    assertEquals("NetworkDescriptor[dev.netspec.runtime.TinyNet]", tiny.toString());
  }

  @Test
  void theHeadRunsFromTheLastFullyConnectedStageToTheEnd() {
    assertEquals(List.of("fc"), names(TinyNet.DESCRIPTOR.head()));
    StageInfo conv = TinyNet.STAGES.get(0);
    StageInfo fc = TinyNet.STAGES.get(1);
    StageInfo dropout = new StageInfo("drop", "Dropout", false, 1, 1, 2, 0, true, 0, 0);
    assertEquals(List.of("fc", "drop"), names(withStages(List.of(conv, fc, dropout)).head()));
    assertEquals(List.of("fc"), names(withStages(List.of(fc, conv, fc)).head().subList(0, 1)));
    assertEquals(List.of(), withStages(List.of(conv)).head(), "an encoder has no head");
  }

  private static NetworkDescriptor<TinyNet> withStages(List<StageInfo> stages) {
    NetworkDescriptor<TinyNet> d = TinyNet.DESCRIPTOR;
    return new NetworkDescriptor<>(d.type(), d.input(), d.outputChannels(), d.outputStride(),
        d.parameters(), d.macs(), stages, d.features(), d.builder(), d.stagesBuilder(),
        d.stageOutputs());
  }

  private static List<String> names(List<StageInfo> stages) {
    return stages.stream().map(StageInfo::name).toList();
  }

  @Test
  void readsTheStagesThatWereBuiltAndSaysWhichWereNot() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> images = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 8, 8, 3)));
      TinyNet network = TinyNet.DESCRIPTOR.build(Layers.create(tf, Mode.INFERENCE), images, "conv");
      assertSame(network.conv(), TinyNet.DESCRIPTOR.stageOutput(network, "conv"));
      assertSame(network.conv(), network.output());
      IllegalArgumentException notBuilt = assertThrows(IllegalArgumentException.class,
          () -> TinyNet.DESCRIPTOR.stageOutput(network, "fc"));
      assertEquals("stage 'fc' of TinyNet was not built: the build stopped before it",
          notBuilt.getMessage());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> TinyNet.DESCRIPTOR.stageOutput(network, "head"));
      assertEquals("no stage 'head'; the stages are conv, fc", unknown.getMessage());
    }
  }

  @Test
  void aNetworkWithoutStagesIsRefused() {
    NetworkDescriptor<TinyNet> tiny = TinyNet.DESCRIPTOR;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NetworkDescriptor<>(TinyNet.class, tiny.input(), 2, 0, 0, 0, List.of(),
            List.of(), tiny.builder(), tiny.stagesBuilder(), tiny.stageOutputs()));
    assertEquals("dev.netspec.runtime.TinyNet has no stages", e.getMessage());
  }
}
