package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import dev.netspec.runtime.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The random choices for one network: its image, its {@code @Network} settings, the stages on
 * the feature map, a head that flattens it (at times) and stages on the flat features, and how
 * it runs. Each list shrinks by whole stages, and what is left is fitted again, so a failure
 * shrinks to a short valid spec.
 */
record NetworkDraw(Image image, Settings settings, List<StageDraw> body, Optional<HeadDraw> head,
    List<StageDraw> tail, Run run) {

  /**
   * The image the network is built for and run on.
   *
   * @param width empty for a square image
   * @param dynamic whether a second spec, the same but for a size known only at run time, is
   *     compiled and run on this image too (not with {@code @Flatten}, which needs a fixed size)
   */
  record Image(int channels, int height, Optional<Integer> width, boolean dynamic) {
    static Arbitrary<Image> arbitrary() {
      Arbitrary<Integer> sides = Arbitraries.integers().between(8, 40);
      return Combinators.combine(Arbitraries.of(3, 1, 2, 4), sides, sides.optional(0.25),
          Arbitraries.of(false, false, true)).as(Image::new);
    }
  }

  /**
   * {@code @Network}'s settings.
   *
   * @param named whether {@code @Network(name)} names the class instead of the spec's name
   * @param output whether {@code @Output} states the output's channels and stride
   */
  record Settings(boolean named, Act activation, double epsilon, boolean output) {
    static Arbitrary<Settings> arbitrary() {
      return Combinators.combine(Arbitraries.of(false, true), activations(),
          Arbitraries.of(1e-5, 1e-3, 0.01), Arbitraries.of(false, true)).as(Settings::new);
    }
  }

  /** How the built network runs: its mode, the batch and the seed of weights and images. */
  record Run(Mode mode, int batch, long seed) {
    static Arbitrary<Run> arbitrary() {
      return Combinators.combine(Arbitraries.of(Mode.INFERENCE, Mode.TRAIN),
          Arbitraries.integers().between(1, 3), Arbitraries.longs()).as(Run::new);
    }
  }

  static Arbitrary<NetworkDraw> arbitrary() {
    Arbitrary<StageDraw> tailStages = Arbitraries.frequencyOf(
        Tuple.of(3, FeatureDraw.arbitrary()), Tuple.of(1, BatchNormDraw.arbitrary()),
        Tuple.of(1, ActivationDraw.arbitrary()), Tuple.of(1, DropoutDraw.arbitrary()));
    return Combinators.combine(Image.arbitrary(), Settings.arbitrary(),
        bodyStages().list().ofMinSize(1).ofMaxSize(6), HeadDraw.arbitrary().optional(0.75),
        tailStages.list().ofMaxSize(3), Run.arbitrary()).as(NetworkDraw::new);
  }

  /** Every stage that works on a feature map, {@code @Use} among them. */
  private static Arbitrary<StageDraw> bodyStages() {
    return Arbitraries.frequencyOf(Tuple.of(12, usableStages()),
        Tuple.of(1, UseDraw.arbitrary(usableStages())));
  }

  /** The stages that a used spec has: all but {@code @Use}, so that use is one level deep. */
  private static Arbitrary<StageDraw> usableStages() {
    return Arbitraries.frequencyOf(Tuple.of(3, ConvDraw.arbitrary()),
        Tuple.of(3, PoolDraw.arbitrary()), Tuple.of(1, BatchNormDraw.arbitrary()),
        Tuple.of(1, ActivationDraw.arbitrary()), Tuple.of(1, DropoutDraw.arbitrary()),
        Tuple.of(6, ResidualDraw.arbitrary()), Tuple.of(2, DenseBlockDraw.arbitrary()),
        Tuple.of(2, TransitionDraw.arbitrary()), Tuple.of(2, DualPathDraw.arbitrary()));
  }

  /** A network's activation: any but {@code Act.DEFAULT}, ReLU (the default) first. */
  static Arbitrary<Act> activations() {
    return Arbitraries.of(Stream.concat(Stream.of(Act.RELU),
        Stream.of(Act.values()).filter(a -> a != Act.DEFAULT && a != Act.RELU)).toList());
  }

  /** The spec sources with what they should compile to. */
  RandomSpec write() {
    int height = image.height();
    int width = image.width().orElse(height);
    SpecShape input = SpecShape.image(image.channels(), height, width);
    SpecWriter writer = new SpecWriter(settings.activation());
    List<StageDraw> all = new ArrayList<>(body);
    head.ifPresent(all::add);
    all.addAll(tail);
    List<DeclaredStage> stages = writer.write(all, input, 0);
    SpecShape output = stages.get(stages.size() - 1).stage().output();
    boolean dynamic = image.dynamic() && !(head.orElse(null) instanceof HeadDraw.FlattenDraw);

    List<String> sources = new ArrayList<>(writer.usedSources());
    String className = settings.named() ? "RandomNet" : "Net";
    sources.add(SpecWriter.source(network(className, input, output, true), "NetSpec", stages));
    Optional<String> dynamicClass = Optional.empty();
    if (dynamic) {
      dynamicClass = Optional.of(className + "Dynamic");
      sources.add(SpecWriter.source(network(dynamicClass.get(), input, output, false),
          "NetDynamicSpec", stages));
    }
    writer.coverIf(settings.named(), Feature.NETWORK_NAME);
    writer.coverIf(settings.activation() != Act.RELU, Feature.NETWORK_ACTIVATION);
    writer.coverIf(settings.epsilon() != 1e-5, Feature.NETWORK_EPSILON);
    writer.coverIf(dynamic, Feature.INPUT_DYNAMIC);
    writer.coverIf(height != width, Feature.INPUT_NOT_SQUARE);
    writer.coverIf(settings.output(), Feature.OUTPUT_CONTRACT);
    writer.coverIf(run.mode() == Mode.TRAIN, Feature.TRAIN_MODE);
    return new RandomSpec(sources, "t." + className, dynamicClass.map(name -> "t." + name),
        input, stages, output, writer.features(), writer.activations(), run);
  }

  /**
   * {@code @Network(...)} at this size or for any size; it names the class only where the
   * settings say so, else the class takes the spec's name.
   */
  private String network(String className, SpecShape input, SpecShape output, boolean fixed) {
    String size = fixed ? ", height = " + input.height() + ", width = " + input.width() : "";
    AnnotationText network = new AnnotationText("Network");
    if (settings.named()) {
      network.set("name", className);
    }
    network.setCode("input", "@Input(channels = " + input.channels() + size + ")")
        .setUnless(Act.RELU, "activation", settings.activation())
        .setUnless(1e-5, "epsilon", settings.epsilon());
    if (settings.output()) {
      network.setCode("output", "@Output(channels = " + output.channels() + ", stride = "
          + output.stride() + ")");
    }
    return network.toString();
  }
}
