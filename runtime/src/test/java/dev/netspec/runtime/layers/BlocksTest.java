package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.VariableStore;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Reference networks built from primitives, as generated code builds them, have torchvision's
 * parameter counts and names.
 */
class BlocksTest {

  /** Builds without a session (no initialization): graph, variables and shapes only. */
  static VariableStore build(int side, Mode mode,
      BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> body, long... outputShape) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 3)));
      Layers layers = Layers.create(tf, mode, Nonlinearity.RELU, 1e-5f, FanMode.FAN_OUT);
      Operand<TFloat32> out = body.apply(layers, images);
      assertEquals(Shape.of(outputShape).toString(), out.shape().toString());
      return layers.store();
    }
  }

  @Test
  void resnet50AtDynamicSize() {
    VariableStore store = build(-1, Mode.TRAIN, (layers, x) -> {
      Layers stem = layers.in("conv1");
      Operand<TFloat32> y = FamilyUnits.convBnAct(stem, x, 64, 7, 2, 1, 1, Nonlinearity.RELU);
      y = layers.in("maxpool").pool(y, Pooling.MAX, 3, 2, 1, false);
      int[] blocks = {3, 4, 6, 3};
      for (int i = 0; i < 4; i++) {
        y = FamilyUnits.bottlenecks(layers.in("layer" + (i + 1)), y, blocks[i], 64 << i,
            i == 0 ? 1 : 2);
      }
      return FamilyUnits.classifier(layers.in("fc"), y, 1000);
    }, -1, 1000);
    assertEquals(25_557_032L, store.parameterCount());
    assertTrue(store.contains("layer1.0.downsample.0.weight"));
    assertEquals(Shape.of(1, 1, 64, 256), store.get("layer1.0.conv3.weight").shape());
    assertEquals(Shape.of(2048, 1000), store.get("fc.weight").shape());
    assertEquals(2 * 53, store.updateOps().size());
  }

  @Test
  void densenet121() {
    VariableStore store = build(224, Mode.TRAIN, (layers, x) -> {
      Operand<TFloat32> y = layers.in("conv0").conv(x, 64, 7, 2, 3, 1, 1, false);
      y = layers.in("relu0").activation(layers.in("norm0").batchNorm(y), Nonlinearity.RELU);
      y = layers.pool(y, Pooling.MAX, 3, 2, 1, false);
      int[] blocks = {6, 12, 24, 16};
      int channels = 64;
      for (int i = 0; i < 4; i++) {
        y = FamilyUnits.denseBlock(layers.in("denseblock" + (i + 1)), y, 32, blocks[i], 4, 0);
        channels += 32 * blocks[i];
        if (i < 3) {
          Layers transition = layers.in("transition" + (i + 1));
          channels /= 2;
          y = transition.in("act").activation(transition.in("norm").batchNorm(y),
              Nonlinearity.RELU);
          y = transition.in("conv").conv(y, channels, 1, 1, 0, 1, 1, false);
          y = transition.pool(y, Pooling.AVG, 2, 2, 0, false);
        }
      }
      y = layers.in("norm5").batchNorm(y);
      return FamilyUnits.classifier(layers.in("classifier"), y, 1000);
    }, -1, 1000);
    assertEquals(7_978_856L, store.parameterCount());
    assertTrue(store.contains("denseblock3.denselayer24.conv2.weight"));
    assertTrue(store.contains("denseblock1.denselayer3.norm2.running_mean"));
    assertTrue(store.contains("transition2.norm.weight"));
    assertEquals(Shape.of(1, 1, 1024, 512), store.get("transition3.conv.weight").shape());
  }

  @Test
  void duplicateVariablesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> build(8, Mode.INFERENCE, (layers, x) -> {
          Operand<TFloat32> y = layers.in("c").conv(x, 4, 3, 1, 1, 1, 1, false);
          return layers.in("c").conv(y, 4, 3, 1, 1, 1, 1, false);
        }, -1, 8, 8, 4));
    assertTrue(e.getMessage().contains("'c.weight' is already defined"), e.getMessage());
  }
}
