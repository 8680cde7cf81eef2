package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.VariableStore;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Residual and dense stages with attention modifiers have timm's parameter counts and variable
 * names, and refuse the combinations timm has no block for.
 */
class AttentionBlocksTest {

  /** A 50-layer bottleneck network after {@code stem}, each stage modified by {@code modify}. */
  private static VariableStore resnet50(boolean deepStem, UnaryOperator<ResidualStage> modify) {
    return BlocksTest.build(-1, Mode.TRAIN, (layers, x) -> {
      Operand<TFloat32> y;
      if (deepStem) {
        y = ConvUnit.of(32, 3).stride(2).apply(layers.in("conv1_0"), x);
        y = ConvUnit.of(32, 3).apply(layers.in("conv1_1"), y);
        y = ConvUnit.of(64, 3).apply(layers.in("conv1_2"), y);
      } else {
        y = ConvUnit.of(64, 7).stride(2).apply(layers.in("conv1"), x);
      }
      y = layers.in("maxpool").pool(y, Pooling.MAX, 3, 2, 1, false);
      int[] blocks = {3, 4, 6, 3};
      for (int i = 0; i < 4; i++) {
        ResidualStage stage = ResidualStage.bottleneck(blocks[i], 64 << i).stride(i == 0 ? 1 : 2);
        y = modify.apply(stage).apply(layers.in("layer" + (i + 1)), y);
      }
      return ClassifierHead.of(1000).apply(layers.in("fc"), y);
    }, -1, 1000);
  }

  @Test
  void seResNet50() {
    VariableStore store = resnet50(false, stage -> stage.squeezeExcite(SqueezeExcite.of(16)));
    assertEquals(28_088_024L, store.parameterCount());
    assertEquals(Shape.of(1, 1, 256, 16), store.get("layer1.0.se.fc1.weight").shape());
    assertEquals(Shape.of(16), store.get("layer1.0.se.fc1.bias").shape());
    assertEquals(Shape.of(1, 1, 128, 2048), store.get("layer4.2.se.fc2.weight").shape());
  }

  @Test
  void skResNeXt50() {
    VariableStore store = resnet50(false,
        stage -> stage.groups(32).baseWidth(4).selectiveKernel(2, 32, 16, 32));
    assertEquals(27_479_784L, store.parameterCount());
    assertEquals(Shape.of(3, 3, 4, 128), store.get("layer1.0.conv2.paths.1.conv.weight").shape());
    assertTrue(store.contains("layer1.0.conv2.paths.1.bn.running_var"));
    assertEquals(Shape.of(1, 1, 1024, 64), store.get("layer4.0.conv2.attn.fc_reduce.weight").shape());
    assertEquals(Shape.of(1, 1, 64, 2048), store.get("layer4.0.conv2.attn.fc_select.weight").shape());
    assertFalse(store.contains("layer1.0.bn2.weight"));
  }

  @Test
  void resNeSt50d() {
    VariableStore store = resnet50(true,
        stage -> stage.avgDownsample(true).splitAttention(2, 1, 4));
    assertEquals(27_483_240L, store.parameterCount());
    assertEquals(Shape.of(3, 3, 32, 128), store.get("layer1.0.conv2.conv.weight").shape());
    assertEquals(Shape.of(128), store.get("layer1.0.conv2.bn0.weight").shape());
    assertEquals(Shape.of(1, 1, 64, 32), store.get("layer1.0.conv2.fc1.weight").shape());
    assertEquals(Shape.of(32), store.get("layer1.0.conv2.bn1.running_mean").shape());
    assertEquals(Shape.of(256), store.get("layer2.0.conv2.fc2.bias").shape());
    // ResNet-D projections: downsample.0 is the (parameterless) pool
    assertEquals(Shape.of(1, 1, 64, 256), store.get("layer1.0.downsample.1.weight").shape());
    assertTrue(store.contains("layer3.0.downsample.2.running_var"));
  }

  @Test
  void skBasicBlocksReplaceTheFirstConvolution() {
    VariableStore store = BlocksTest.build(16, Mode.INFERENCE, (layers, x) -> ResidualStage
        .basic(2, 8).stride(2).selectiveKernel(2, 1, 16, 4).apply(layers.in("layer1"), x),
        -1, 8, 8, 8);
    assertEquals(Shape.of(3, 3, 3, 8), store.get("layer1.0.conv1.paths.1.conv.weight").shape());
    assertEquals(Shape.of(3, 3, 8, 8), store.get("layer1.1.conv1.paths.0.conv.weight").shape());
    assertEquals(Shape.of(3, 3, 8, 8), store.get("layer1.0.conv2.weight").shape());
    assertTrue(store.contains("layer1.0.bn2.weight"));
    assertFalse(store.contains("layer1.0.bn1.weight"));
  }

  @Test
  void preactivationBlocksWithSqueezeExcite() {
    VariableStore store = BlocksTest.build(8, Mode.TRAIN, (layers, x) -> ResidualStage
        .basic(2, 32).preact(true).squeezeExcite(SqueezeExcite.of(16)).apply(layers.in("layer1"), x),
        -1, 8, 8, 32);
    assertEquals(Shape.of(1, 1, 32, 2), store.get("layer1.0.se.fc1.weight").shape());
    assertEquals(Shape.of(1, 1, 3, 32), store.get("layer1.0.downsample.0.weight").shape());
  }

  @Test
  void denseLayersGateTheirNewFeatures() {
    VariableStore store = BlocksTest.build(8, Mode.TRAIN, (layers, x) -> DenseStage.of(8, 2)
        .squeezeExcite(SqueezeExcite.of(4)).apply(layers.in("denseblock1"), x), -1, 8, 8, 19);
    assertEquals(Shape.of(1, 1, 8, 2), store.get("denseblock1.denselayer1.se.fc1.weight").shape());
    assertEquals(Shape.of(8), store.get("denseblock1.denselayer2.se.fc2.bias").shape());
  }

  @Test
  void refusesBlocksTimmHasNot() {
    assertThrows(IllegalArgumentException.class,
        () -> ResidualStage.basic(1, 8).splitAttention(2, 1, 4));
    assertThrows(IllegalArgumentException.class,
        () -> ResidualStage.bottleneck(1, 8).preact(true).selectiveKernel(2, 1, 16, 32));
    assertThrows(IllegalArgumentException.class,
        () -> ResidualStage.bottleneck(1, 8).splitAttention(2, 1, 4).selectiveKernel(2, 1, 16, 32));
    assertThrows(IllegalArgumentException.class,
        () -> ResidualStage.bottleneck(1, 8).groups(4).selectiveKernel(2, 2, 16, 32));
    assertThrows(IllegalArgumentException.class, () -> new SplitAttentionConv(0, 1, 4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResidualStage.basic(1, 8).splitAttention(2, 1, 4));
    assertTrue(e.getMessage().contains("split attention modifies bottleneck blocks"),
        e.getMessage());
  }
}
