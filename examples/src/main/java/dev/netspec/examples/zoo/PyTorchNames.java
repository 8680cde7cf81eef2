package dev.netspec.examples.zoo;

import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.io.NameRules;
import java.util.Map;

/**
 * How the state dicts of torchvision's and timm's models, and of the PyTorch twins in {@code
 * reference/}, map onto the zoo's variables: a few renaming rules per family. Keys no rule
 * matches keep their names (most do: the zoo's stages carry PyTorch's module names).
 */
public final class PyTorchNames {
  private PyTorchNames() {}

  /**
   * torchvision's ResNet: the stem's {@code conv1.weight} and {@code bn1.*} become those of one
   * {@code @Conv} stage.
   */
  public static final NameRules TORCHVISION_RESNET = NameRules.identity()
      .rename("conv1\\.weight", "conv1.conv.weight")
      .rename("bn1\\.(.+)", "conv1.bn.$1");

  /**
   * torchvision's DenseNet: everything under {@code features.}; the stem's {@code conv0} and
   * {@code norm0} become one {@code @Conv} stage; {@code norm5} and {@code classifier} keep their names.
   */
  public static final NameRules TORCHVISION_DENSENET = NameRules.identity()
      .rename("features\\.conv0\\.(.+)", "conv0.conv.$1")
      .rename("features\\.norm0\\.(.+)", "conv0.bn.$1")
      .rename("features\\.(.+)", "$1");

  /**
   * The selective-kernel DenseNet's PyTorch twin ({@code reference/sk_densenet.py}): torchvision's
   * DenseNet names, its dense blocks Sequentials ({@code denseblock1.0}, as netspec numbers a
   * stack); a layer's bare {@code conv1} is netspec's {@code conv1.conv}, and each path of {@code
   * conv2} is timm's ConvNormAct ({@code paths.0.conv}, {@code paths.0.bn}) where netspec's path
   * block has one {@code @Conv} stage {@code conv} ({@code paths.0.conv.conv}, {@code
   * paths.0.conv.bn}).
   */
  public static final NameRules SK_DENSENET = NameRules.identity()
      .rename("features\\.(denseblock\\d+\\.\\d+)\\.conv1\\.weight", "$1.conv1.conv.weight")
      .rename("features\\.(denseblock\\d+\\.\\d+\\.conv2\\.paths\\.\\d+)\\.(conv|bn)\\.(.+)",
          "$1.conv.$2.$3")
      .then(TORCHVISION_DENSENET);

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

  /**
   * timm's {@code skresnext50_32x4d}: torchvision's stem; a block's {@code conv1} and {@code
   * conv3} are ConvNormAct modules ({@code conv1.conv}, {@code conv1.bn}) where netspec has
   * {@code conv1}, {@code bn1}; the selective-kernel unit {@code conv2.paths.*}, {@code
   * conv2.attn.*} keeps its names.
   */
  public static final NameRules TIMM_SKNET = TORCHVISION_RESNET
      .rename("(layer\\d+\\.\\d+)\\.conv([13])\\.conv\\.(.+)", "$1.conv$2.$3")
      .rename("(layer\\d+\\.\\d+)\\.conv([13])\\.bn\\.(.+)", "$1.bn$2.$3");

  /**
   * timm's {@code resnest50d}: the deep stem is one Sequential {@code conv1} (convolutions at 0,
   * 3, 6, BatchNorms at 1, 4) plus {@code bn1}, netspec's three {@code @Conv} stages {@code conv1_0}, {@code
   * conv1_1}, {@code conv1_2}; the blocks keep timm's names.
   */
  public static final NameRules TIMM_RESNEST = NameRules.identity()
      .rename("conv1\\.0\\.(.+)", "conv1_0.conv.$1")
      .rename("conv1\\.1\\.(.+)", "conv1_0.bn.$1")
      .rename("conv1\\.3\\.(.+)", "conv1_1.conv.$1")
      .rename("conv1\\.4\\.(.+)", "conv1_1.bn.$1")
      .rename("conv1\\.6\\.(.+)", "conv1_2.conv.$1")
      .rename("bn1\\.(.+)", "conv1_2.bn.$1");

  /**
   * The CIFAR SENet-18 of kuangliu/pytorch-cifar: torchvision's stem names; a block's projection
   * is {@code shortcut.0} (netspec's {@code downsample.0}) and its gate {@code fc1}, {@code fc2}
   * sits directly in the block (netspec's {@code se.fc1}, {@code se.fc2}).
   */
  public static final NameRules CIFAR_SENET = TORCHVISION_RESNET
      .rename("(layer\\d+\\.\\d+)\\.shortcut\\.0\\.(.+)", "$1.downsample.0.$2")
      .rename("(layer\\d+\\.\\d+)\\.(fc[12]\\..+)", "$1.se.$2");

  /** By zoo name: the rules ship with the zoo, whichever of its families a build holds. */
  private static final Map<String, NameRules> RULES = Map.ofEntries(
      Map.entry("resnet18", TORCHVISION_RESNET),
      Map.entry("resnet34", TORCHVISION_RESNET),
      Map.entry("resnet50", TORCHVISION_RESNET),
      Map.entry("resnet101", TORCHVISION_RESNET),
      Map.entry("resnet152", TORCHVISION_RESNET),
      Map.entry("densenet121", TORCHVISION_DENSENET),
      Map.entry("densenet161", TORCHVISION_DENSENET),
      Map.entry("densenet169", TORCHVISION_DENSENET),
      Map.entry("densenet201", TORCHVISION_DENSENET),
      Map.entry("densenet_bc_100", TORCHVISION_DENSENET),
      Map.entry("densenet121_sk", SK_DENSENET),
      Map.entry("densenet121_face", FACE_DENSENET),
      Map.entry("densenet121_face_prelu", FACE_DENSENET),
      Map.entry("dpn92", TIMM_DPN),
      Map.entry("dpn98", TIMM_DPN),
      Map.entry("dpn107", TIMM_DPN),
      Map.entry("dpn131", TIMM_DPN),
      Map.entry("se_dpn92", TIMM_DPN),
      Map.entry("seresnet50", TORCHVISION_RESNET),
      Map.entry("sknet50", TIMM_SKNET),
      Map.entry("resnest50", TIMM_RESNEST),
      Map.entry("senet18", CIFAR_SENET));

  /** The rules for {@code network}; none (every key its own name) for a network not in the zoo. */
  public static NameRules forNetwork(NetworkDescriptor<?> network) {
    return Zoo.all().entrySet().stream()
        .filter(e -> e.getValue().equals(network))
        .map(e -> RULES.getOrDefault(e.getKey(), NameRules.identity()))
        .findFirst().orElse(NameRules.identity());
  }

  /** The rules for zoo network {@code name}; none for a name the zoo does not know. */
  public static NameRules forNetwork(String name) {
    return RULES.getOrDefault(name, NameRules.identity());
  }
}
