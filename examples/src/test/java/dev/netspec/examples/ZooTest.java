package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.InputShape;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.StageInfo;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Every zoo network builds in both modes, initializes and runs, and its live graph agrees with
 * the constants javac computed: parameters, every stage's static shape, the output shape.
 */
class ZooTest {

  static Stream<Arguments> networks() {
    return Zoo.all().entrySet().stream().flatMap(e -> Stream.of(Mode.values())
        .map(mode -> Arguments.of(e.getKey(), e.getValue(), mode)));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("networks")
  void buildsRunsAndAgreesWithTheConstants(String name, NetworkDescriptor<?> network, Mode mode) {
    buildAndRun(name, network, mode);
  }

  /** The reference implementations' {@code sum(p.numel() for p in model.parameters())}. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "mobilenet_v2, 3504872", // torchvision 0.14
      "mobilenet_v3_large, 5483032",
      "efficientnet_b0, 5288548",
      "convnext_tiny, 28589128",
      "regnet_y_400mf, 4344144",
      "dpn68, 12611602", // timm
  })
  void userBlockNetworksHaveTheirReferenceCounts(String name, long parameters) {
    assertEquals(parameters, Zoo.resolve(name).parameters(), name);
  }

  private static <G extends NetworkGraph> void buildAndRun(
      String name, NetworkDescriptor<G> network, Mode mode) {
    int batch = 2;
    try (Model<G> model = Model.create(network, mode, 1L);
        TFloat32 images = randomImages(batch, network.input())) {
      assertEquals(network.parameters(), model.parameterCount(), "live parameters of " + name);
      assertStaticShapes(name, network, model.network());
      try (TFloat32 logits = model.predict(images)) {
        long[] shape = logits.shape().asArray();
        assertEquals(batch, shape[0]);
        assertEquals(network.outputChannels(), shape[shape.length - 1]);
        assertAllFinite(name + " " + mode + " output", logits);
      }
    }
  }

  /** Every value is finite: no NaN, no infinity. */
  static void assertAllFinite(String what, TFloat32 values) {
    long[] nonFinite = {0};
    StringBuilder first = new StringBuilder();
    values.scalars().forEachIndexed((index, scalar) -> {
      float value = scalar.getFloat();
      if (!Float.isFinite(value) && nonFinite[0]++ == 0) {
        first.append(value).append(" at ").append(Arrays.toString(index));
      }
    });
    assertEquals(0, nonFinite[0], () -> what + " has " + nonFinite[0] + " non-finite values of "
        + values.size() + ", the first " + first);
  }

  private static <G extends NetworkGraph> void assertStaticShapes(
      String name, NetworkDescriptor<G> descriptor, G network) {
    for (StageInfo stage : descriptor.stages()) {
      Operand<?> output = descriptor.stageOutput(network, stage.name());
      assertArrayEquals(expectedShape(stage, -1).asArray(), output.shape().asArray(),
          "static shape of " + name + "." + stage.name() + ": " + output.shape());
    }
  }

  static Shape expectedShape(StageInfo stage, long batch) {
    return stage.flat() ? Shape.of(batch, stage.channels())
        : Shape.of(batch, stage.height(), stage.width(), stage.channels());
  }

  /** Images of the declared size, or of an odd size (67x85) where the network takes any. */
  static TFloat32 randomImages(int batch, InputShape input) {
    int height = input.fixedSize() ? input.height() : 67;
    int width = input.fixedSize() ? input.width() : 85;
    TFloat32 images = TFloat32.tensorOf(Shape.of(batch, height, width, input.channels()));
    SplittableRandom random = new SplittableRandom(3);
    images.scalars().forEach(s -> s.setFloat((float) (random.nextDouble() * 2 - 1)));
    return images;
  }
}
