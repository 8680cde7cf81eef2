package dev.netspec.examples.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * torchvision's state-dict keys become the zoo's variable names: the MobileNets' one sequence of
 * blocks laid out over the stages' repetitions ({@link FlatBlocks}), the other families' stages
 * and units renamed. The parity tests load whole state dicts; these pin the edges of each rule.
 */
class TorchvisionNamesTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "mobilenet_v2, features.0.0.weight, stem.conv.weight",
      "mobilenet_v2, features.1.conv.0.1.running_var, stage1.0.depthwise.bn.running_var",
      "mobilenet_v2, features.1.conv.2.bias, stage1.0.project.bn.bias",
      "mobilenet_v2, features.2.conv.0.0.weight, stage2.0.expand.conv.weight",
      "mobilenet_v2, features.3.conv.1.0.weight, stage2.1.depthwise.conv.weight",
      "mobilenet_v2, features.10.conv.3.weight, stage4.3.project.bn.weight",
      "mobilenet_v2, features.17.conv.2.weight, stage7.0.project.conv.weight",
      "mobilenet_v2, features.18.1.running_mean, head.bn.running_mean",
      "mobilenet_v2, classifier.1.weight, classifier.weight",
      "mobilenet_v3_large, features.1.block.1.0.weight, stage1.0.project.conv.weight",
      "mobilenet_v3_large, features.6.block.2.fc1.bias, stage3.2.se.fc1.bias",
      "mobilenet_v3_large, features.10.block.2.1.weight, stage5.1.project.bn.weight",
      "mobilenet_v3_large, features.15.block.3.0.weight, stage7.2.project.conv.weight",
      "mobilenet_v3_large, classifier.0.weight, pre_logits.weight",
      "mobilenet_v3_large, classifier.3.bias, classifier.bias",
      "efficientnet_b0, features.1.0.block.1.fc2.weight, stage1.0.se.fc2.weight",
      "efficientnet_b0, features.6.3.block.3.1.bias, stage6.3.project.bn.bias",
      "efficientnet_b0, features.8.0.weight, head.conv.weight",
      "convnext_tiny, features.0.1.weight, stem.norm.weight",
      "convnext_tiny, features.5.8.layer_scale, stage3.8.scale.layer_scale",
      "convnext_tiny, features.7.2.block.5.weight, stage4.2.pwconv2.conv.weight",
      "convnext_tiny, features.6.0.bias, down4.norm.bias",
      "convnext_tiny, classifier.2.weight, fc.weight",
      "regnet_y_400mf, trunk_output.block4.block4-5.f.b.1.weight, block4.5.b.bn.weight",
      "regnet_y_400mf, trunk_output.block2.block2-0.proj.1.running_var, block2.0.downsample.1.running_var",
      "regnet_y_400mf, trunk_output.block1.block1-0.f.se.fc1.weight, block1.0.se.fc1.weight",
      "regnet_y_400mf, fc.bias, fc.bias",
  })
  void keyBecomesVariable(String network, String key, String variable) {
    assertEquals(Optional.of(variable), PyTorchNames.forNetwork(network).map(key));
  }
}
