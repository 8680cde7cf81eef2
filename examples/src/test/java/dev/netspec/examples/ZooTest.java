package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescription;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.StageInfo;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Every zoo network builds in both modes and its live graph agrees with the constants javac
 * computed: parameters, every stage's static shape, the output shape. All but the largest
 * variants of a family that another zoo network already runs are also initialized and run.
 */
class ZooTest {
  /**
   * Networks whose blocks DPN-92 already runs: built only, to keep the suite fast (each would take
   * 10 to 20 s to initialize and run at 224×224 on two cores).
   */
  private static final Set<String> BUILD_ONLY = Set.of("dpn98", "dpn107", "dpn131", "se_dpn92");

  static Stream<Arguments> networks() {
    return withModes(e -> !BUILD_ONLY.contains(e.getKey()));
  }

  /** In TRAIN mode only: the variables are the same in both modes. */
  static Stream<Arguments> builtOnly() {
    return withModes(e -> BUILD_ONLY.contains(e.getKey())).filter(a -> a.get()[2] == Mode.TRAIN);
  }

  private static Stream<Arguments> withModes(
      Predicate<Map.Entry<String, Class<? extends NetworkGraph>>> filter) {
    return Zoo.all().entrySet().stream().filter(filter).flatMap(e -> Stream.of(Mode.values())
        .map(mode -> Arguments.of(e.getKey(), e.getValue(), mode)));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("builtOnly")
  void buildsAndAgreesWithTheConstants(String name, Class<? extends NetworkGraph> type, Mode mode)
      throws Exception {
    NetworkDescription description = NetworkDescription.of(type);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1,
          description.inputHeight(), description.inputWidth(), description.inputChannels())));
      NetworkGraph network = (NetworkGraph) type
          .getMethod("build", Ops.class, Operand.class, Mode.class).invoke(null, tf, images, mode);
      assertEquals(description.parameters(), network.variables().parameterCount(),
          "live parameters of " + name);
      assertStaticShapes(name, type, network, description);
      assertArrayEquals(new long[] {-1, description.outputChannels()},
          network.output().shape().asArray(), "output of " + name);
    }
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("networks")
  void buildsRunsAndAgreesWithTheConstants(String name, Class<? extends NetworkGraph> type, Mode mode)
      throws Exception {
    NetworkDescription description = NetworkDescription.of(type);
    int batch = 2;
    try (Model<? extends NetworkGraph> model = create(type, mode);
        TFloat32 images = randomImages(batch, description)) {
      assertEquals(description.parameters(), model.parameterCount(), "live parameters of " + name);
      assertStaticShapes(name, type, model.network(), description);
      try (TFloat32 logits = model.predict(images)) {
        long[] shape = logits.shape().asArray();
        assertEquals(batch, shape[0]);
        assertEquals(description.outputChannels(), shape[shape.length - 1]);
        float first = logits.getFloat(new long[shape.length]);
        assertEquals(first, first, "output is a number");
      }
    }
  }

  private static void assertStaticShapes(String name, Class<? extends NetworkGraph> type,
      NetworkGraph network, NetworkDescription description) throws Exception {
    for (StageInfo stage : description.stages()) {
      Operand<?> output = (Operand<?>) type.getMethod(stage.name()).invoke(network);
      assertArrayEquals(expectedShape(stage, -1).asArray(), output.shape().asArray(),
          "static shape of " + name + "." + stage.name() + ": " + output.shape());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Model<? extends NetworkGraph> create(Class<? extends NetworkGraph> type, Mode mode) {
    return Model.create((Class) type, mode, 1L);
  }

  static Shape expectedShape(StageInfo stage, long batch) {
    return stage.flat() ? Shape.of(batch, stage.channels())
        : Shape.of(batch, stage.height(), stage.width(), stage.channels());
  }

  /** Images of the declared size, or of an odd size (67x85) where the network takes any. */
  static TFloat32 randomImages(int batch, NetworkDescription description) {
    int height = description.fixedSize() ? description.inputHeight() : 67;
    int width = description.fixedSize() ? description.inputWidth() : 85;
    TFloat32 images = TFloat32.tensorOf(Shape.of(batch, height, width, description.inputChannels()));
    SplittableRandom random = new SplittableRandom(3);
    images.scalars().forEach(s -> s.setFloat((float) (random.nextDouble() * 2 - 1)));
    return images;
  }
}
