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

/** Reference networks built from the blocks have torchvision's parameter counts and names. */
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

  private static Operand<TFloat32> resnetStem(Layers layers, Operand<TFloat32> x) {
    Operand<TFloat32> y = ConvUnit.of(64, 7).stride(2).apply(layers.in("conv1"), x);
    return layers.in("maxpool").pool(y, Pooling.MAX, 3, 2, 1, false);
  }

  private static VariableStore resnet(boolean bottleneck, int[] blocks, int groups, int width,
      int side, long... outputShape) {
    return build(side, Mode.TRAIN, (layers, x) -> {
      Operand<TFloat32> y = resnetStem(layers, x);
      for (int i = 0; i < 4; i++) {
        int planes = 64 << i;
        ResidualStage stage = (bottleneck ? ResidualStage.bottleneck(blocks[i], planes)
            : ResidualStage.basic(blocks[i], planes)).stride(i == 0 ? 1 : 2).groups(groups)
            .baseWidth(width);
        y = stage.apply(layers.in("layer" + (i + 1)), y);
      }
      return ClassifierHead.of(1000).apply(layers.in("fc"), y);
    }, outputShape);
  }

  @Test
  void resnet18() {
    VariableStore store = resnet(false, new int[] {2, 2, 2, 2}, 1, 64, 224, -1, 1000);
    assertEquals(11_689_512L, store.parameterCount());
    assertTrue(store.contains("layer2.0.downsample.0.weight"));
    assertTrue(store.contains("layer2.0.downsample.1.running_var"));
    assertTrue(store.contains("layer1.1.bn2.bias"));
    assertEquals(Shape.of(3, 3, 64, 128), store.get("layer2.0.conv1.weight").shape());
  }

  @Test
  void resnet50AtDynamicSize() {
    VariableStore store = resnet(true, new int[] {3, 4, 6, 3}, 1, 64, -1, -1, 1000);
    assertEquals(25_557_032L, store.parameterCount());
    assertTrue(store.contains("layer1.0.downsample.0.weight"));
    assertEquals(Shape.of(1, 1, 64, 256), store.get("layer1.0.conv3.weight").shape());
    assertEquals(Shape.of(2048, 1000), store.get("fc.weight").shape());
    assertEquals(2 * 53, store.updateOps().size());
  }

  @Test
  void resnext50With32Groups() {
    VariableStore store = resnet(true, new int[] {3, 4, 6, 3}, 32, 4, 64, -1, 1000);
    assertEquals(25_028_904L, store.parameterCount());
    assertEquals(Shape.of(3, 3, 4, 128), store.get("layer1.0.conv2.weight").shape());
  }

  @Test
  void resnetDAverageDownsampling() {
    VariableStore store = build(32, Mode.INFERENCE, (layers, x) -> ResidualStage.bottleneck(2, 8)
        .stride(2).avgDownsample(true).apply(layers.in("layer1"), x), -1, 16, 16, 32);
    assertTrue(store.contains("layer1.0.downsample.1.weight"));
    assertTrue(store.contains("layer1.0.downsample.2.running_mean"));
    assertTrue(!store.contains("layer1.0.downsample.0.weight"));
    assertTrue(store.updateOps().isEmpty());
  }

  @Test
  void preactivationBlocks() {
    VariableStore store = build(16, Mode.TRAIN, (layers, x) -> ResidualStage.bottleneck(2, 4)
        .preact(true).stride(2).apply(layers.in("layer1"), x), -1, 8, 8, 16);
    // bn1 sees the block input; the projection is a bare conv
    assertEquals(Shape.of(3), store.get("layer1.0.bn1.weight").shape());
    assertEquals(Shape.of(16), store.get("layer1.1.bn1.weight").shape());
    assertTrue(store.contains("layer1.0.bn3.weight"));
    assertTrue(store.contains("layer1.0.downsample.0.weight"));
    assertTrue(!store.contains("layer1.0.downsample.1.weight"));
    assertTrue(!store.contains("layer1.1.downsample.0.weight"));
  }

  @Test
  void densenet121() {
    VariableStore store = build(224, Mode.TRAIN, (layers, x) -> {
      Operand<TFloat32> y = ConvUnit.of(64, 7).stride(2).apply(layers.in("conv0"), x);
      y = layers.in("pool0").pool(y, Pooling.MAX, 3, 2, 1, false);
      int[] blocks = {6, 12, 24, 16};
      int channels = 64;
      for (int i = 0; i < 4; i++) {
        DenseStage stage = DenseStage.of(32, blocks[i]);
        y = stage.apply(layers.in("denseblock" + (i + 1)), y);
        channels = stage.outputChannels(channels);
        if (i < 3) {
          channels /= 2;
          y = TransitionUnit.of(channels).apply(layers.in("transition" + (i + 1)), y);
        }
      }
      y = layers.in("norm5").batchNorm(y, 1e-5f, 0.1f);
      y = layers.activation(y, Nonlinearity.RELU);
      return ClassifierHead.of(1000).apply(layers.in("classifier"), y);
    }, -1, 1000);
    assertEquals(7_978_856L, store.parameterCount());
    assertTrue(store.contains("denseblock3.denselayer24.conv2.weight"));
    assertTrue(store.contains("denseblock1.denselayer3.norm2.running_mean"));
    assertTrue(store.contains("transition2.norm.weight"));
    assertEquals(Shape.of(1, 1, 1024, 512), store.get("transition3.conv.weight").shape());
  }

  @Test
  void convUnitOrderAndNames() {
    VariableStore store = build(8, Mode.INFERENCE, (layers, x) -> {
      Operand<TFloat32> y = ConvUnit.of(6, 3).act(Nonlinearity.PRELU).apply(layers.in("a"), x);
      return ConvUnit.of(4, 1).order(UnitOrder.NORM_ACT_CONV).bias(true).norm(true)
          .apply(layers.in("b"), y);
    }, -1, 8, 8, 4);
    assertEquals(Shape.of(6), store.get("a.act.weight").shape());
    assertEquals(Shape.of(6), store.get("b.bn.weight").shape()); // over the input channels
    assertEquals(Shape.of(4), store.get("b.conv.bias").shape());
    assertEquals(3 * 3 * 3 * 6 + 6 + 6 + 6 + 6 + 6 + 6 * 4 + 4, store.parameterCount());
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

  @Test
  void withersReturnNewInstances() {
    ConvUnit base = ConvUnit.of(8, 3);
    ConvUnit dilated = base.dilation(2);
    assertEquals(1, base.dilation());
    assertEquals(1, base.effectivePadding());
    assertEquals(2, dilated.effectivePadding());
    assertEquals(3, dilated.padding(3).effectivePadding());
    assertEquals(256, ResidualStage.bottleneck(3, 64).outputChannels());
    assertEquals(128, ResidualStage.bottleneck(3, 64).groups(32).baseWidth(4).width());
    assertThrows(IllegalArgumentException.class, () -> ResidualStage.basic(2, 64).groups(2));
  }
}
