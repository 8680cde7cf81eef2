package dev.netspec.runtime.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.AttributeProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ModelProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.NodeProto;
import dev.netspec.runtime.layers.FanMode;
import dev.netspec.runtime.layers.Layers;
import dev.netspec.runtime.layers.Nonlinearity;
import dev.netspec.runtime.layers.Pooling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Every primitive exports to ONNX and ONNX Runtime computes what TensorFlow does, in both
 * layouts, with BatchNorm folded and kept.
 */
class OnnxExportTest {

  record Net(Operand<TFloat32> output, VariableStore variables) implements NetworkGraph {}

  private record Case(String name, int channels, int height, int width,
      BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> body) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Model.Builder<Net> builder(
      BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> body) {
    return (tf, images, mode) -> {
      Layers layers = Layers.create(tf, mode, Nonlinearity.RELU, 1e-5f, FanMode.FAN_OUT);
      return new Net(body.apply(layers, images), layers.store());
    };
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("strided conv with bias, BatchNorm, ReLU, global pool, linear", 3, 9, 11,
            (l, x) -> {
              Operand<TFloat32> y = l.in("conv").conv(x, 8, 3, 2, 1, 1, 1, true);
              y = l.activation(l.in("bn").batchNorm(y, 1e-5f, 0.1f), Nonlinearity.RELU);
              return l.in("fc").linear(l.globalPool(y, Pooling.AVG), 5, true);
            }),
        new Case("dilated, grouped and depthwise convolutions", 4, 10, 9, (l, x) -> {
          Operand<TFloat32> y = l.in("dilated").conv(x, 8, 3, 1, 2, 2, 1, false);
          y = l.in("depthwise").conv(y, 8, 3, 2, 1, 1, 8, false);
          y = l.in("grouped").conv(y, 16, 3, 1, 1, 1, 4, false);
          y = l.in("bn").batchNorm(y, 1e-3f, 0.1f);
          return l.in("dilated_grouped").conv(y, 8, 3, 1, 3, 3, 2, false);
        }),
        new Case("pre-activation: BatchNorm and ReLU before a convolution", 3, 8, 8, (l, x) -> {
          Operand<TFloat32> y = l.in("conv0").conv(x, 8, 1, 1, 0, 1, 1, false);
          y = l.activation(l.in("bn").batchNorm(y, 1e-5f, 0.1f), Nonlinearity.RELU);
          Operand<TFloat32> z = l.activation(l.in("bn2").batchNorm(
              l.concat(List.of(x, y)), 1e-5f, 0.1f), Nonlinearity.RELU);
          return l.in("conv1").conv(z, 6, 3, 1, 1, 1, 1, false);
        }),
        new Case("every activation", 3, 6, 7, (l, x) -> {
          Operand<TFloat32> y = l.in("conv").conv(x, 6, 3, 1, 1, 1, 1, true);
          for (Nonlinearity act : Nonlinearity.values()) {
            y = l.in("act_" + act.name().toLowerCase()).activation(y, act);
          }
          return y;
        }),
        new Case("max and average pools, ceil mode, padding not counted", 3, 13, 14, (l, x) -> {
          Operand<TFloat32> y = l.in("conv").conv(x, 4, 3, 1, 1, 1, 1, false);
          Operand<TFloat32> a = l.pool(y, Pooling.MAX, 3, 2, 1, false);
          a = l.pool(a, Pooling.MAX, 2, 2, 0, true);
          Operand<TFloat32> b = l.pool(y, Pooling.AVG, 3, 2, 1, true, false);
          b = l.pool(b, Pooling.AVG, 2, 2, 0, true);
          Operand<TFloat32> c = l.pool(y, Pooling.AVG, 3, 2, 1, false, true);
          c = l.pool(c, Pooling.AVG, 2, 2, 0, true);
          return l.tf().concat(List.of(l.globalPool(a, Pooling.MAX), l.globalPool(b, Pooling.AVG),
              l.globalPool(c, Pooling.MAX)), l.tf().constant(1));
        }),
        new Case("squeeze-excite gate, radix softmax and weighted sum of branches", 8, 8, 8,
            (l, x) -> {
              Operand<TFloat32> pooled = l.globalPool(x, Pooling.AVG, true);
              Operand<TFloat32> squeezed = l.in("se").in("relu").activation(
                  l.in("se").in("fc1").conv(pooled, 2, 1, 1, 0, 1, 1, true), Nonlinearity.RELU);
              Operand<TFloat32> excited = l.in("se").in("sigmoid").activation(
                  l.in("se").in("fc2").conv(squeezed, 8, 1, 1, 0, 1, 1, true),
                  Nonlinearity.SIGMOID);
              Operand<TFloat32> y = l.gate(x, excited);
              // two branches weighted by a softmax across them in each of two cardinal groups
              Operand<TFloat32> a = l.in("a").conv(y, 8, 3, 1, 1, 1, 2, false);
              Operand<TFloat32> b = l.in("b").conv(y, 8, 3, 1, 2, 2, 2, false);
              Operand<TFloat32> attention = l.in("fc").conv(
                  l.globalPool(l.add(a, b), Pooling.AVG, true), 16, 1, 1, 0, 1, 2, true);
              return l.weightedSum(List.of(a, b), l.radixSoftmax(attention, 2, 2));
            }),
        new Case("ConvNeXt's block: LayerNorm on maps and flat features, pointwise convolutions, "
            + "GELU, layer scale", 3, 6, 5, (l, x) -> {
              Operand<TFloat32> shortcut = l.in("stem").conv(x, 6, 1, 1, 0, 1, 1, true);
              Operand<TFloat32> y = l.in("dwconv").conv(shortcut, 6, 3, 1, 1, 1, 6, true);
              y = l.in("norm").layerNorm(y, 1e-6f);
              y = l.activation(l.in("pwconv1").conv(y, 12, 1, 1, 0, 1, 1, true),
                  Nonlinearity.GELU);
              y = l.in("pwconv2").conv(y, 6, 1, 1, 0, 1, 1, true);
              y = l.stochasticDepth(l.in("scale").layerScale(y, 0.5f), 0.2f);
              y = l.add(shortcut, y);
              return l.in("head_norm").layerNorm(l.globalPool(y, Pooling.AVG), 1e-6f);
            }),
        new Case("channel split and concatenation", 6, 5, 5, (l, x) -> {
          var parts = l.tf().splitV(x, l.tf().constant(new int[] {2, 4}), l.tf().constant(3), 2L)
              .output();
          Operand<TFloat32> a = l.in("a").conv(parts.get(0), 3, 1, 1, 0, 1, 1, false);
          return l.concat(List.of(parts.get(1), a, x));
        }),
        new Case("flatten, linear, BatchNorm1d, dropout, L2 normalization", 3, 4, 5, (l, x) -> {
          Operand<TFloat32> y = l.in("conv").conv(x, 4, 3, 1, 1, 1, 1, false);
          y = l.in("fc").linear(l.flatten(y), 7, false);
          y = l.dropout(l.in("bn").batchNorm(y, 1e-5f, 0.1f), 0.3f);
          return l.l2Normalize(y);
        }));
  }

  static Stream<Arguments> casesAndOptions() {
    return cases().flatMap(c -> Stream.of(
        Arguments.of(c, OnnxOptions.defaults()),
        Arguments.of(c, OnnxOptions.defaults().withLayout(ImageLayout.NHWC)),
        Arguments.of(c, OnnxOptions.defaults().withFoldBatchNorm(false))));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("casesAndOptions")
  void onnxRuntimeComputesWhatTensorFlowDoes(Case c, OnnxOptions options) {
    Model.Builder<Net> builder = builder(c.body());
    try (Model<Net> model = Model.create(builder, c.channels(), c.height(), c.width(),
        Mode.INFERENCE, 1L)) {
      OnnxRuntimeCheck.randomizeWeights(builder, model, 5L);
      ModelProto onnx = OnnxExport.convert(builder, model, options, Map.of());
      OnnxRuntimeCheck.assertReproduces(model, onnx, options.layout(), c.name());
    }
  }

  @Test
  void eachConvolutionIsOneConvWithItsGroupsAndTheBatchNormFoldedIn() {
    Case grouped = cases().filter(c -> c.name().startsWith("dilated")).findFirst().orElseThrow();
    Model.Builder<Net> builder = builder(grouped.body());
    try (Model<Net> model = Model.create(builder, 4, 10, 9, Mode.INFERENCE, 1L)) {
      ModelProto folded = OnnxExport.convert(builder, model, OnnxOptions.defaults(), Map.of());
      List<NodeProto> convs = nodes(folded, "Conv");
      assertEquals(List.of(1L, 8L, 4L, 2L), convs.stream().map(n -> attribute(n, "group"))
          .toList());
      assertEquals(List.of(2L, 1L, 1L, 3L), convs.stream().map(n -> attribute(n, "dilations"))
          .toList());
      assertEquals(0, nodes(folded, "BatchNormalization").size());
      assertEquals(3, convs.get(2).getInputCount(), "the folded BatchNorm's bias");
      assertEquals(0, nodes(folded, "Transpose").size(), "NCHW throughout: no transposes");

      ModelProto kept = OnnxExport.convert(builder, model,
          OnnxOptions.defaults().withFoldBatchNorm(false), Map.of());
      assertEquals(1, nodes(kept, "BatchNormalization").size());
    }
  }

  @Test
  void eachLayerNormIsOneLayerNormalizationAndThePointwiseConvolutionsAfterItMatMuls() {
    Case convNeXt = cases().filter(c -> c.name().startsWith("ConvNeXt")).findFirst().orElseThrow();
    Model.Builder<Net> builder = builder(convNeXt.body());
    try (Model<Net> model = Model.create(builder, 3, 6, 5, Mode.INFERENCE, 1L)) {
      for (ImageLayout layout : ImageLayout.values()) {
        ModelProto onnx = OnnxExport.convert(builder, model,
            OnnxOptions.defaults().withLayout(layout), Map.of());
        assertEquals(layout == ImageLayout.NHWC ? 3 : 2, nodes(onnx, "MatMul").size(), layout
            + ": the pointwise convolutions on channels-last maps: after the layer norm, and the "
            + "stem on NHWC images");
        assertEquals(layout == ImageLayout.NHWC ? 1 : 2, nodes(onnx, "Conv").size(),
            layout + ": the depthwise one, and the stem unless it reads NHWC images");
        List<NodeProto> norms = nodes(onnx, "LayerNormalization");
        assertEquals(2, norms.size(), layout + ": the map's and the features' layer norms");
        assertEquals(List.of(-1L, -1L), norms.stream().map(n -> attribute(n, "axis")).toList());
        assertEquals(1e-6f, norms.get(0).getAttributeList().stream()
            .filter(a -> a.getName().equals("epsilon")).findFirst().orElseThrow().getF());
        for (String primitive : List.of("Sqrt", "Reciprocal", "Sub")) {
          assertEquals(0, nodes(onnx, primitive).size(), layout + ": no " + primitive + " left");
        }
      }
    }
  }

  @Test
  void hardSigmoidAndHardSwishAreOneOpEach() {
    Case every = cases().filter(c -> c.name().equals("every activation")).findFirst()
        .orElseThrow();
    Model.Builder<Net> builder = builder(every.body());
    try (Model<Net> model = Model.create(builder, 3, 6, 7, Mode.INFERENCE, 1L)) {
      ModelProto onnx = OnnxExport.convert(builder, model, OnnxOptions.defaults(), Map.of());
      assertEquals(1, nodes(onnx, "HardSwish").size());
      List<NodeProto> sigmoids = nodes(onnx, "HardSigmoid");
      assertEquals(1, sigmoids.size());
      assertEquals(1f / 6, sigmoids.get(0).getAttribute(0).getF());
      assertEquals(1, nodes(onnx, "Clip").size(), "ReLU6's alone");
      assertEquals(1, nodes(onnx, "Div").size(), "GELU's x / √2 alone");
    }
  }

  @Test
  void onnxRuntimeFusesGeluAsItDoesPyTorchsExport(@TempDir Path dir) throws Exception {
    Model.Builder<Net> builder = builder((l, x) -> l.in("pwconv").activation(
        l.in("conv").conv(x, 8, 1, 1, 0, 1, 1, true), Nonlinearity.GELU));
    try (Model<Net> model = Model.create(builder, 3, 4, 4, Mode.INFERENCE, 1L)) {
      ModelProto onnx = OnnxExport.convert(builder, model, OnnxOptions.defaults(), Map.of());
      assertEquals(1, nodes(onnx, "Div").size(), "x / √2, as PyTorch writes it");
      Path optimized = dir.resolve("optimized.onnx");
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setOptimizedModelFilePath(optimized.toString());
        env.createSession(onnx.toByteArray(), options).close();
      }
      List<String> ops = ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph()
          .getNodeList().stream().map(NodeProto::getOpType).toList();
      assertTrue(ops.contains("Gelu") || ops.contains("BiasGelu"), ops.toString());
      assertFalse(ops.contains("Erf"), ops.toString());
    }
  }

  @Test
  void aNetworkOfAnySizeNeedsOneAndTheFileHoldsTheMetadata(@TempDir Path dir) throws Exception {
    Case c = cases().findFirst().orElseThrow();
    Model.Builder<Net> builder = builder(c.body());
    try (Model<Net> model = Model.create(builder, 3, -1, -1, Mode.INFERENCE, 1L)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OnnxExport.convert(builder, model, OnnxOptions.defaults(), Map.of()));
      assertTrue(e.getMessage().contains("any size"), e.getMessage());

      Path file = dir.resolve("sub/net.onnx");
      OnnxExport.write(OnnxExport.convert(builder, model, OnnxOptions.defaults().withSize(12, 10),
          Map.of("class_names", "[\"a\"]")), file);
      ModelProto read = ModelProto.parseFrom(Files.readAllBytes(file));
      assertEquals(OnnxExport.OPSET, read.getOpsetImport(0).getVersion());
      assertEquals("class_names", read.getMetadataProps(0).getKey());
      assertEquals(List.of("batch", "3", "12", "10"), read.getGraph().getInput(0).getType()
          .getTensorType().getShape().getDimList().stream()
          .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList());
    }
  }

  private static List<NodeProto> nodes(ModelProto model, String op) {
    return model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).toList();
  }

  private static long attribute(NodeProto node, String name) {
    AttributeProto a = node.getAttributeList().stream().filter(x -> x.getName().equals(name))
        .findFirst().orElseThrow();
    return a.getType() == AttributeProto.AttributeType.INT ? a.getI() : a.getInts(0);
  }
}
