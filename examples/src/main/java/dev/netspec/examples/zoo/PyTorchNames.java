package dev.netspec.examples.zoo;

import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.io.NameRules;
import java.util.Map;

/**
 * How the state dicts of torchvision's and timm's models, and of the PyTorch twins in {@code
 * reference/}, map onto the zoo's variables: a few renaming rules per family. Keys no rule
 * matches keep their names (most do: the zoo's stages carry PyTorch's module names).
 */
public final class PyTorchNames {
  private PyTorchNames() {}

  /** torchvision's ResNet: the stem's {@code conv1.weight} and {@code bn1.*} become one ConvUnit. */
  public static final NameRules TORCHVISION_RESNET = NameRules.identity()
      .rename("conv1\\.weight", "conv1.conv.weight")
      .rename("bn1\\.(.+)", "conv1.bn.$1");

  /**
   * torchvision's DenseNet: everything under {@code features.}; the stem's {@code conv0} and
   * {@code norm0} become one ConvUnit; {@code norm5} and {@code classifier} keep their names.
   */
  public static final NameRules TORCHVISION_DENSENET = NameRules.identity()
      .rename("features\\.conv0\\.(.+)", "conv0.conv.$1")
      .rename("features\\.norm0\\.(.+)", "conv0.bn.$1")
      .rename("features\\.(.+)", "$1");

  /** The face DenseNet's PyTorch twin: its final BatchNorm-activation is {@code norm5.bn}, {@code norm5.act}. */
  public static final NameRules FACE_DENSENET = NameRules.identity()
      .rename("norm5\\.bn\\.(.+)", "norm5.$1");

  /**
   * timm's DPN: everything under {@code features.}; block {@code conv<s>_<b>} is {@code
   * conv<s>.<b>}; the final {@code conv5_bn_ac.bn} is the {@code conv5_bn_ac} BatchNorm stage;
   * the 1×1-conv {@code classifier} becomes the dense classifier by its shape.
   */
  public static final NameRules TIMM_DPN = NameRules.identity()
      .rename("features\\.conv1_1\\.(.+)", "conv1_1.$1")
      .rename("features\\.conv5_bn_ac\\.bn\\.(.+)", "conv5_bn_ac.$1")
      .rename("features\\.conv(\\d+)_(\\d+)\\.(.+)", "conv$1.$2.$3");

  private static final Map<Class<? extends NetworkGraph>, NameRules> RULES = Map.ofEntries(
      Map.entry(ResNet18.class, TORCHVISION_RESNET),
      Map.entry(ResNet34.class, TORCHVISION_RESNET),
      Map.entry(ResNet50.class, TORCHVISION_RESNET),
      Map.entry(ResNet101.class, TORCHVISION_RESNET),
      Map.entry(ResNet152.class, TORCHVISION_RESNET),
      Map.entry(DenseNet121.class, TORCHVISION_DENSENET),
      Map.entry(DenseNet161.class, TORCHVISION_DENSENET),
      Map.entry(DenseNet169.class, TORCHVISION_DENSENET),
      Map.entry(DenseNet201.class, TORCHVISION_DENSENET),
      Map.entry(DenseNetBC100.class, TORCHVISION_DENSENET),
      Map.entry(DenseNet121Face.class, FACE_DENSENET),
      Map.entry(DenseNet121FacePReLU.class, FACE_DENSENET));

  /** The rules for {@code network}; none (every key its own name) for a network not in the zoo. */
  public static NameRules forNetwork(Class<? extends NetworkGraph> network) {
    return RULES.getOrDefault(network, NameRules.identity());
  }
}
