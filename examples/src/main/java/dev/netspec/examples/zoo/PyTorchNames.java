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

  /**
   * torchvision's {@code mobilenet_v2}: the stem {@code features.0} and head {@code features.18}
   * are Conv2dNormActivation ({@code .0} the convolution, {@code .1} the BatchNorm); blocks
   * {@code features.1} … {@code features.17} are the repetitions of {@code stage1} … {@code
   * stage7} in turn, each a Sequential {@code conv} (expansion {@code conv.0}, depthwise {@code
   * conv.1}, projection {@code conv.2} and its BatchNorm {@code conv.3}; without the expansion
   * all one place earlier); the classifier's linear layer is {@code classifier.1}.
   */
  public static final NameRules TORCHVISION_MOBILENET_V2 = new FlatBlocks("features", 1)
      .stage("stage1", 1, FlatBlocks.convNormAct("conv.0", "depthwise"),
          FlatBlocks.plain("conv.1", "project.conv"), FlatBlocks.plain("conv.2", "project.bn"))
      .stage("stage2", 2, invertedResidualV2())
      .stage("stage3", 3, invertedResidualV2())
      .stage("stage4", 4, invertedResidualV2())
      .stage("stage5", 3, invertedResidualV2())
      .stage("stage6", 3, invertedResidualV2())
      .stage("stage7", 1, invertedResidualV2())
      .rules()
      .rename("features\\.0\\.0\\.(.+)", "stem.conv.$1")
      .rename("features\\.0\\.1\\.(.+)", "stem.bn.$1")
      .rename("features\\.18\\.0\\.(.+)", "head.conv.$1")
      .rename("features\\.18\\.1\\.(.+)", "head.bn.$1")
      .rename("classifier\\.1\\.(.+)", "classifier.$1");

  private static FlatBlocks.Child[] invertedResidualV2() {
    return new FlatBlocks.Child[] {FlatBlocks.convNormAct("conv.0", "expand"),
        FlatBlocks.convNormAct("conv.1", "depthwise"), FlatBlocks.plain("conv.2", "project.conv"),
        FlatBlocks.plain("conv.3", "project.bn")};
  }

  /**
   * torchvision's {@code mobilenet_v3_large}: stem {@code features.0}, blocks {@code features.1}
   * … {@code features.15} (the repetitions of {@code stage1} … {@code stage7}), each a Sequential
   * {@code block} of Conv2dNormActivation units (expansion where there is one, depthwise, the
   * squeeze-excite's {@code fc1}, {@code fc2} where there is one, projection), head {@code
   * features.16}; the classifier's linear layers {@code classifier.0} and {@code classifier.3}.
   */
  public static final NameRules TORCHVISION_MOBILENET_V3_LARGE = new FlatBlocks("features", 1)
      .stage("stage1", 1, FlatBlocks.convNormAct("block.0", "depthwise"),
          FlatBlocks.convNormAct("block.1", "project"))
      .stage("stage2", 2, bottleneckV3(false))
      .stage("stage3", 3, bottleneckV3(true))
      .stage("stage4", 2, bottleneckV3(false))
      .stage("stage5", 2, bottleneckV3(false))
      .stage("stage6", 2, bottleneckV3(true))
      .stage("stage7", 3, bottleneckV3(true))
      .rules()
      .rename("features\\.0\\.0\\.(.+)", "stem.conv.$1")
      .rename("features\\.0\\.1\\.(.+)", "stem.bn.$1")
      .rename("features\\.16\\.0\\.(.+)", "head.conv.$1")
      .rename("features\\.16\\.1\\.(.+)", "head.bn.$1")
      .rename("classifier\\.0\\.(.+)", "pre_logits.$1")
      .rename("classifier\\.3\\.(.+)", "classifier.$1");

  private static FlatBlocks.Child[] bottleneckV3(boolean squeezeExcite) {
    return squeezeExcite
        ? new FlatBlocks.Child[] {FlatBlocks.convNormAct("block.0", "expand"),
            FlatBlocks.convNormAct("block.1", "depthwise"), FlatBlocks.plain("block.2", "se"),
            FlatBlocks.convNormAct("block.3", "project")}
        : new FlatBlocks.Child[] {FlatBlocks.convNormAct("block.0", "expand"),
            FlatBlocks.convNormAct("block.1", "depthwise"),
            FlatBlocks.convNormAct("block.2", "project")};
  }

  /**
   * torchvision's {@code efficientnet_b0}: stage {@code s} is {@code features.<s>} with the same
   * repetitions; a block's Sequential {@code block} holds Conv2dNormActivation units ({@code .0}
   * the convolution, {@code .1} the BatchNorm): expansion {@code block.0} (none in stage 1),
   * depthwise, squeeze-excite ({@code fc1}, {@code fc2}), projection; stem {@code features.0},
   * head {@code features.8}, classifier's linear layer {@code classifier.1}.
   */
  public static final NameRules TORCHVISION_EFFICIENTNET = NameRules.identity()
      .rename("features\\.0\\.0\\.(.+)", "stem.conv.$1")
      .rename("features\\.0\\.1\\.(.+)", "stem.bn.$1")
      .rename("features\\.8\\.0\\.(.+)", "head.conv.$1")
      .rename("features\\.8\\.1\\.(.+)", "head.bn.$1")
      .rename("features\\.1\\.(\\d+)\\.block\\.0\\.0\\.(.+)", "stage1.$1.depthwise.conv.$2")
      .rename("features\\.1\\.(\\d+)\\.block\\.0\\.1\\.(.+)", "stage1.$1.depthwise.bn.$2")
      .rename("features\\.1\\.(\\d+)\\.block\\.1\\.(.+)", "stage1.$1.se.$2")
      .rename("features\\.1\\.(\\d+)\\.block\\.2\\.0\\.(.+)", "stage1.$1.project.conv.$2")
      .rename("features\\.1\\.(\\d+)\\.block\\.2\\.1\\.(.+)", "stage1.$1.project.bn.$2")
      .rename("features\\.(\\d)\\.(\\d+)\\.block\\.0\\.0\\.(.+)", "stage$1.$2.expand.conv.$3")
      .rename("features\\.(\\d)\\.(\\d+)\\.block\\.0\\.1\\.(.+)", "stage$1.$2.expand.bn.$3")
      .rename("features\\.(\\d)\\.(\\d+)\\.block\\.1\\.0\\.(.+)", "stage$1.$2.depthwise.conv.$3")
      .rename("features\\.(\\d)\\.(\\d+)\\.block\\.1\\.1\\.(.+)", "stage$1.$2.depthwise.bn.$3")
      .rename("features\\.(\\d)\\.(\\d+)\\.block\\.2\\.(.+)", "stage$1.$2.se.$3")
      .rename("features\\.(\\d)\\.(\\d+)\\.block\\.3\\.0\\.(.+)", "stage$1.$2.project.conv.$3")
      .rename("features\\.(\\d)\\.(\\d+)\\.block\\.3\\.1\\.(.+)", "stage$1.$2.project.bn.$3")
      .rename("classifier\\.1\\.(.+)", "classifier.$1");

  /**
   * torchvision's {@code convnext_tiny}: {@code features.0} the stem (convolution {@code .0},
   * LayerNorm {@code .1}); {@code features.1}, {@code .3}, {@code .5}, {@code .7} the stages, each
   * block's Sequential {@code block} holding the depthwise convolution ({@code .0}), its LayerNorm
   * ({@code .2}) and the two linear layers ({@code .3}, {@code .5}, netspec's 1×1 convolutions),
   * beside {@code layer_scale}; {@code features.2}, {@code .4}, {@code .6} the downsampling
   * (LayerNorm {@code .0}, convolution {@code .1}); the head's LayerNorm {@code classifier.0} and
   * linear layer {@code classifier.2}.
   */
  public static final NameRules TORCHVISION_CONVNEXT = convNeXt();

  private static NameRules convNeXt() {
    NameRules rules = NameRules.identity()
        .rename("features\\.0\\.0\\.(.+)", "stem.conv.$1")
        .rename("features\\.0\\.1\\.(.+)", "stem.norm.$1")
        .rename("classifier\\.0\\.(.+)", "norm.$1")
        .rename("classifier\\.2\\.(.+)", "fc.$1");
    for (int stage = 1; stage <= 4; stage++) {
      String blocks = "features\\." + (2 * stage - 1) + "\\.(\\d+)\\.";
      String target = "stage" + stage + ".$1.";
      rules = rules.rename(blocks + "block\\.0\\.(.+)", target + "dwconv.conv.$2")
          .rename(blocks + "block\\.2\\.(.+)", target + "dwconv.norm.$2")
          .rename(blocks + "block\\.3\\.(.+)", target + "pwconv1.conv.$2")
          .rename(blocks + "block\\.5\\.(.+)", target + "pwconv2.conv.$2")
          .rename(blocks + "layer_scale", target + "scale.layer_scale");
      if (stage > 1) {
        String down = "features\\." + (2 * stage - 2) + "\\.";
        rules = rules.rename(down + "0\\.(.+)", "down" + stage + ".norm.$1")
            .rename(down + "1\\.(.+)", "down" + stage + ".conv.$1");
      }
    }
    return rules;
  }

  /**
   * torchvision's RegNet: the stem {@code stem.0}, {@code stem.1}; block {@code i} of stage
   * {@code s} is {@code trunk_output.block<s>.block<s>-<i>}, its units {@code f.a}, {@code f.b},
   * {@code f.c} Conv2dNormActivation ({@code .0}, {@code .1}), its gate {@code f.se}, its
   * projection {@code proj} (netspec's {@code downsample}); {@code fc} keeps its name.
   */
  public static final NameRules TORCHVISION_REGNET = NameRules.identity()
      .rename("stem\\.0\\.(.+)", "stem.conv.$1")
      .rename("stem\\.1\\.(.+)", "stem.bn.$1")
      .rename("trunk_output\\.block(\\d)\\.block\\d-(\\d+)\\.f\\.([abc])\\.0\\.(.+)", "block$1.$2.$3.conv.$4")
      .rename("trunk_output\\.block(\\d)\\.block\\d-(\\d+)\\.f\\.([abc])\\.1\\.(.+)", "block$1.$2.$3.bn.$4")
      .rename("trunk_output\\.block(\\d)\\.block\\d-(\\d+)\\.f\\.se\\.(.+)", "block$1.$2.se.$3")
      .rename("trunk_output\\.block(\\d)\\.block\\d-(\\d+)\\.proj\\.(.+)", "block$1.$2.downsample.$3");

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
      Map.entry("dpn68", TIMM_DPN),
      Map.entry("dpn92", TIMM_DPN),
      Map.entry("dpn98", TIMM_DPN),
      Map.entry("dpn107", TIMM_DPN),
      Map.entry("dpn131", TIMM_DPN),
      Map.entry("se_dpn92", TIMM_DPN),
      Map.entry("seresnet50", TORCHVISION_RESNET),
      Map.entry("sknet50", TIMM_SKNET),
      Map.entry("resnest50", TIMM_RESNEST),
      Map.entry("senet18", CIFAR_SENET),
      Map.entry("mobilenet_v2", TORCHVISION_MOBILENET_V2),
      Map.entry("mobilenet_v3_large", TORCHVISION_MOBILENET_V3_LARGE),
      Map.entry("efficientnet_b0", TORCHVISION_EFFICIENTNET),
      Map.entry("convnext_tiny", TORCHVISION_CONVNEXT),
      Map.entry("regnet_y_400mf", TORCHVISION_REGNET));

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
