package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.zoo.ResNet18;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** {@code @Use}: a zoo network's stages up to {@code until}, its variables named under the stage. */
class UseTest {
  @Test
  void theUsedNetworkKeepsItsNamesUnderTheStageAndStopsAtUntil() {
    assertEquals(256, GreyBackbone.BACKBONE_CHANNELS);
    assertEquals(16, GreyBackbone.BACKBONE_STRIDE);
    try (Model<GreyBackbone> model = Model.create(GreyBackbone.class, Mode.TRAIN, 1L);
        TFloat32 image = TFloat32.tensorOf(Shape.of(2, 64, 48, 1))) {
      Set<String> names = model.variables().entries().stream().map(VariableStore.Entry::name)
          .collect(Collectors.toSet());
      assertTrue(names.contains("backbone.conv1.conv.weight"), names.toString());
      assertTrue(names.contains("backbone.layer3.1.bn2.running_var"));
      assertTrue(names.contains("neck.conv.weight"));
      assertFalse(names.stream().anyMatch(n -> n.startsWith("backbone.layer4") || n.startsWith("backbone.fc")));
      assertEquals(GreyBackbone.PARAMETERS, model.parameterCount());
      long resnet18UpToLayer3 = ResNet18.STAGES.stream().limit(5).mapToLong(s -> s.parameters()).sum();
      assertEquals(resnet18UpToLayer3, GreyBackbone.STAGES.get(1).parameters());
      image.scalars().forEach(s -> s.setFloat(0.5f));
      try (TFloat32 out = model.predict(image)) {
        assertArrayEquals(new long[] {2, 4, 3, 128}, out.shape().asArray());
      }
    }
  }
}
