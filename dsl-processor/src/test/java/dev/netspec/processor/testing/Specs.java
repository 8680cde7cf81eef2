package dev.netspec.processor.testing;

/** Spec sources for tests: a fixed six-line header, so that a spec's first line is line 7. */
public final class Specs {
  private Specs() {}

  /** The package, the imports and a blank line: six lines. */
  public static final String HEADER = """
      package t;

      import dev.netspec.annotations.*;
      import org.tensorflow.Operand;
      import org.tensorflow.types.TFloat32;

      """;

  /** The first line of a spec's body in a file made by {@link #spec}. */
  public static final int FIRST_LINE = 7;

  /** A source in package {@code t}: the header, then {@code body} from line 7 on. */
  public static String spec(String body) {
    return HEADER + body;
  }

  /** torchvision's ResNet: BasicBlock (18, 34) or Bottleneck (50 and deeper). */
  public static String resnet(String name, boolean bottleneck, int... blocks) {
    String block = bottleneck ? "" : ", block = Block.BASIC";
    return spec("@Network(name = \"" + name + "\", input = @Input(channels = 3, height = 224, width = 224))\n"
        + "public interface " + name + "Spec {\n"
        + "  @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();\n"
        + "  @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();\n"
        + "  @Residual(blocks = " + blocks[0] + ", planes = 64" + block + ") Operand<TFloat32> layer1();\n"
        + "  @Residual(blocks = " + blocks[1] + ", planes = 128, stride = 2" + block + ") Operand<TFloat32> layer2();\n"
        + "  @Residual(blocks = " + blocks[2] + ", planes = 256, stride = 2" + block + ") Operand<TFloat32> layer3();\n"
        + "  @Residual(blocks = " + blocks[3] + ", planes = 512, stride = 2" + block + ") Operand<TFloat32> layer4();\n"
        + "  @Classifier(classes = 1000) Operand<TFloat32> fc();\n"
        + "}\n");
  }

  /** torchvision's DenseNet-BC for ImageNet: stem, four dense blocks, three transitions, head. */
  public static String densenet(String name, int growth, int stem, int... blocks) {
    StringBuilder body = new StringBuilder()
        .append("@Network(name = \"").append(name)
        .append("\", input = @Input(channels = 3, height = 224, width = 224))\n")
        .append("public interface ").append(name).append("Spec {\n")
        .append("  @Conv(channels = ").append(stem)
        .append(", kernel = 7, stride = 2) Operand<TFloat32> conv0();\n")
        .append("  @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();\n");
    for (int i = 0; i < blocks.length; i++) {
      body.append("  @DenseBlock(growth = ").append(growth).append(", layers = ").append(blocks[i])
          .append(") Operand<TFloat32> denseblock").append(i + 1).append("();\n");
      if (i < blocks.length - 1) {
        body.append("  @Transition(compression = 0.5) Operand<TFloat32> transition").append(i + 1).append("();\n");
      }
    }
    body.append("  @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();\n")
        .append("  @Classifier(classes = 1000) Operand<TFloat32> classifier();\n")
        .append("}\n");
    return spec(body.toString());
  }
}
