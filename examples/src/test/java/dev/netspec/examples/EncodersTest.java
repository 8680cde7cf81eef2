package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.zoo.DenseNetBEncoder;
import dev.netspec.examples.zoo.ResNet50Encoder;
import dev.netspec.runtime.FeatureInfo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkGraph;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The formula recognizer's two encoders take a grey image of any allowed size and agree on the
 * output shape, as their shared {@code @Output(channels = 684, stride = 16)} promises.
 */
class EncodersTest {

  @Test
  void bothEncodersMapAnOddSizedGreyImageToTheSameShape() {
    assertEquals(684, DenseNetBEncoder.OUTPUT_CHANNELS);
    assertEquals(16, DenseNetBEncoder.OUTPUT_STRIDE);
    assertEquals(684, ResNet50Encoder.OUTPUT_CHANNELS);
    assertEquals(16, ResNet50Encoder.OUTPUT_STRIDE);
    for (int[] size : new int[][] {{101, 203}, {37, 61}}) {
      long[] dense = outputShape(DenseNetBEncoder.class, size[0], size[1]);
      long[] resnet = outputShape(ResNet50Encoder.class, size[0], size[1]);
      assertArrayEquals(dense, resnet, size[0] + "x" + size[1]);
      // PyTorch's arithmetic: ceil-mode pools on one side, strided 3x3 convolutions on the other.
      assertEquals(4, dense.length);
      assertEquals(684, dense[3]);
    }
    assertArrayEquals(new long[] {1, 7, 13, 684}, outputShape(DenseNetBEncoder.class, 101, 203));
  }

  @Test
  void anImageTooSmallForTheNetworkIsRefusedBeforeTensorFlowSeesIt() {
    assertEquals(9, DenseNetBEncoder.MIN_INPUT_SIZE);
    try (Model<DenseNetBEncoder> model = Model.create(DenseNetBEncoder.class, Mode.INFERENCE, 1L);
        TFloat32 small = grey(8, 40)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.predict(small));
      assertTrue(e.getMessage().contains("too small") && e.getMessage().contains("9x9"),
          e.getMessage());
    }
  }

  @Test
  void severalFeatureMapsComeFromOneRunAndMatchFeatures() {
    try (Model<ResNet50Encoder> model = Model.create(ResNet50Encoder.class, Mode.INFERENCE, 1L);
        TFloat32 image = grey(64, 96)) {
      Map<String, TFloat32> maps = model.features(image, "layer1", "layer3", "reduce");
      try {
        assertEquals(java.util.List.of("layer1", "layer3", "reduce"), java.util.List.copyOf(maps.keySet()));
        for (FeatureInfo feature : ResNet50Encoder.FEATURES) {
          if (maps.containsKey(feature.stage())) {
            Shape shape = maps.get(feature.stage()).shape();
            assertEquals(feature.channels(), shape.get(3), feature.stage());
            assertEquals((64 + feature.stride() - 1) / feature.stride(), shape.get(1), feature.stage());
          }
        }
      } finally {
        maps.values().forEach(Tensor::close);
      }
    }
  }

  private static <G extends NetworkGraph> long[] outputShape(Class<G> network, int height, int width) {
    try (Model<G> model = Model.create(network, Mode.INFERENCE, 1L);
        TFloat32 image = grey(height, width);
        TFloat32 out = model.predict(image)) {
      return out.shape().asArray();
    }
  }

  private static TFloat32 grey(int height, int width) {
    TFloat32 image = TFloat32.tensorOf(Shape.of(1, height, width, 1));
    SplittableRandom random = new SplittableRandom(5);
    image.scalars().forEach(s -> s.setFloat((float) random.nextDouble()));
    return image;
  }
}
