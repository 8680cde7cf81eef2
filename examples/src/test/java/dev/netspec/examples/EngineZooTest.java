package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.zoo.DPN92;
import dev.netspec.examples.zoo.DenseNet121;
import dev.netspec.examples.zoo.ResNet50;
import dev.netspec.examples.zoo.ResNet50Encoder;
import dev.netspec.examples.zoo.SEResNet50;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.engine.Engine;
import dev.netspec.runtime.engine.InferenceEngine;
import dev.netspec.runtime.io.onnx.OnnxRuntimeCheck;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The onnxruntime engine gives TensorFlow's outputs, within {@link OnnxRuntimeCheck#TOLERANCE}
 * of the largest, for networks of several zoo families: residual, squeeze-excite, dense and
 * dual-path blocks, and an encoder whose output is a feature map. Small images keep it fast.
 */
class EngineZooTest {

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
        new Network("SE-ResNet-50", SEResNet50::build, 3, 32, 32),
        new Network("DenseNet-121", DenseNet121::build, 3, 32, 32),
        new Network("DPN-92", DPN92::build, 3, 32, 32),
        new Network("ResNet-50 encoder", ResNet50Encoder::build, 1, 32, 45));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void onnxRuntimeGivesTensorFlowsOutputs(Network network) {
    float[] expected;
    Shape shape;
    InferenceEngine engine;
    try (Model<?> model = Model.create(network.builder(), network.channels(), network.height(),
            network.width(), Mode.INFERENCE, 1L);
        TFloat32 images = images(network)) {
      OnnxRuntimeCheck.randomizeWeights(network.builder(), model, 11L);
      try (TFloat32 out = model.predict(images)) {
        expected = values(out);
        shape = out.shape();
      }
      engine = Engine.ONNXRUNTIME.open(model, 2, 0, 0);
    }
    try (engine; TFloat32 images = images(network); TFloat32 out = engine.predict(images)) {
      assertEquals(shape, out.shape());
      float[] found = values(out);
      double scale = 0;
      double error = 0;
      for (int i = 0; i < expected.length; i++) {
        scale = Math.max(scale, Math.abs(expected[i]));
        error = Math.max(error, Math.abs((double) expected[i] - found[i]));
      }
      assertTrue(scale > 0, "outputs are not all zero");
      assertTrue(error <= OnnxRuntimeCheck.TOLERANCE * scale, String.format(Locale.ROOT,
          "%s: onnxruntime is off by %.3g of the largest output", network, error / scale));
    }
  }

  private static TFloat32 images(Network network) {
    Shape shape = Shape.of(2, network.height(), network.width(), network.channels());
    SplittableRandom random = new SplittableRandom(3);
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(v, true, false));
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[Math.toIntExact(t.size())];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
