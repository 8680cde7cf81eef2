package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.examples.zoo.ConvNeXtTiny;
import dev.netspec.examples.zoo.DPN92;
import dev.netspec.examples.zoo.DenseNet121;
import dev.netspec.examples.zoo.DenseNet121FacePReLU;
import dev.netspec.examples.zoo.DenseNetBEncoder;
import dev.netspec.examples.zoo.EfficientNetB0;
import dev.netspec.examples.zoo.MobileNetV2;
import dev.netspec.examples.zoo.MobileNetV3Large;
import dev.netspec.examples.zoo.RegNetY400MF;
import dev.netspec.examples.zoo.ResNeSt50;
import dev.netspec.examples.zoo.ResNet50;
import dev.netspec.examples.zoo.ResNet50Encoder;
import dev.netspec.examples.zoo.SENet18;
import dev.netspec.examples.zoo.SEResNet50;
import dev.netspec.examples.zoo.SKNet50;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.io.onnx.ImageLayout;
import dev.netspec.runtime.io.onnx.OnnxExport;
import dev.netspec.runtime.io.onnx.OnnxOptions;
import dev.netspec.runtime.io.onnx.OnnxRuntimeCheck;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ModelProto;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One network of every zoo family, exported to ONNX in both layouts: ONNX Runtime reproduces its
 * outputs for batches of 3 and 1, with one {@code Conv} per convolution. Small images keep it
 * fast; the networks are fully convolutional up to their global pool, so nothing else changes.
 */
class OnnxZooTest {

  private record Network(String family, Model.Builder<?> builder, int channels, int height,
      int width) {
    @Override
    public String toString() {
      return family;
    }
  }

  static Stream<Network> networks() {
    return Stream.of(
        new Network("ResNet-50", ResNet50::build, 3, 32, 32),
        new Network("SENet-18", SENet18::build, 3, 32, 32),
        new Network("SE-ResNet-50", SEResNet50::build, 3, 32, 32),
        new Network("SK-ResNeXt-50", SKNet50::build, 3, 32, 32),
        new Network("ResNeSt-50", ResNeSt50::build, 3, 32, 32),
        new Network("DenseNet-121", DenseNet121::build, 3, 32, 32),
        new Network("DenseNet-121 face, PReLU", DenseNet121FacePReLU::build, 3, 32, 32),
        new Network("DPN-92", DPN92::build, 3, 32, 32),
        new Network("MobileNetV2", MobileNetV2::build, 3, 32, 32),
        new Network("MobileNetV3-Large", MobileNetV3Large::build, 3, 32, 32),
        new Network("EfficientNet-B0", EfficientNetB0::build, 3, 32, 32),
        new Network("ConvNeXt-T", ConvNeXtTiny::build, 3, 32, 32),
        new Network("RegNetY-400MF", RegNetY400MF::build, 3, 32, 32),
        new Network("DenseNet-B encoder", DenseNetBEncoder::build, 1, 32, 45),
        new Network("ResNet-50 encoder", ResNet50Encoder::build, 1, 32, 45));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void onnxRuntimeReproducesTheOutputsInBothLayouts(Network network) {
    try (Model<?> model = Model.create(network.builder(), network.channels(), network.height(),
        network.width(), Mode.INFERENCE, 1L)) {
      OnnxRuntimeCheck.randomizeWeights(network.builder(), model, 11L);
      // a convolution is one Conv, or one MatMul where it is pointwise on a channels-last map
      long products = model.variables().entries().stream()
          .filter(e -> e.shape().numDimensions() == 4 || e.shape().numDimensions() == 2).count();
      for (ImageLayout layout : ImageLayout.values()) {
        ModelProto onnx = OnnxExport.convert(model, OnnxOptions.defaults().withLayout(layout),
            Map.of());
        assertEquals(products, onnx.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("Conv") || n.getOpType().equals("MatMul")).count(),
            "one Conv or MatMul per convolution and linear layer");
        OnnxRuntimeCheck.assertReproduces(model, onnx, layout, network.family());
      }
    }
  }
}
