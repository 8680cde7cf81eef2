package dev.netspec.examples.property;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.netspec.annotations.Act;
import dev.netspec.runtime.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The random choices for one network: its image, its {@code @Network} settings, the stages on
 * the feature map, a head that flattens it (at times) and stages on the flat features, and how
 * it runs. A list shrinks by whole stages from its end, and what is left is fitted again, so a
 * failure shrinks to a short valid spec.
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
    static Gen<Image> gen() {
      Gen<Integer> sides = integers().between(8, 40);
      // a width of its own a quarter of the time
      return Draws.of(3, 1, 2, 4).zip(sides, sides.toOptionals(75), Draws.of(false, false, true),
          Image::new);
    }
  }

  /**
   * {@code @Network}'s settings.
   *
   * @param named whether {@code @Network(name)} names the class instead of the spec's name
   * @param output whether {@code @Output} states the output's channels and stride
   */
  record Settings(boolean named, Act activation, double epsilon, boolean output) {
    static Gen<Settings> gen() {
      return Generate.booleans().zip(activations(), Draws.of(1e-5, 1e-3, 0.01),
          Generate.booleans(), Settings::new);
    }
  }

  /** How the built network runs: its mode, the batch and the seed of weights and images. */
  record Run(Mode mode, int batch, long seed) {
    static Gen<Run> gen() {
      return Draws.of(Mode.INFERENCE, Mode.TRAIN).zip(integers().between(1, 3), longs().all(),
          Run::new);
    }
  }

  static Gen<NetworkDraw> gen() {
    Gen<StageDraw> tailStages = Generate.frequency(
        Draws.weight(3, FeatureDraw.gen()), Draws.weight(1, BatchNormDraw.gen()),
        Draws.weight(1, ActivationDraw.gen()), Draws.weight(1, DropoutDraw.gen()));
    Gen<Image> images = Image.gen();
    Gen<Settings> settings = Settings.gen();
    Gen<List<StageDraw>> bodies = lists().of(bodyStages()).ofSizeBetween(1, 6);
    // a head three times out of four
    Gen<Optional<HeadDraw>> heads = HeadDraw.gen().toOptionals(25);
    Gen<List<StageDraw>> tails = lists().of(tailStages).ofSizeBetween(0, 3);
    Gen<Run> runs = Run.gen();
    return in -> new NetworkDraw(images.generate(in), settings.generate(in), bodies.generate(in),
        heads.generate(in), tails.generate(in), runs.generate(in));
  }

  /** Every stage that works on a feature map, {@code @Use} among them. */
  private static Gen<StageDraw> bodyStages() {
    return Generate.frequency(Draws.weight(12, usableStages()),
        Draws.weight(1, UseDraw.gen(usableStages())));
  }

  /** The stages that a used spec has: all but {@code @Use}, so that use is one level deep. */
  private static Gen<StageDraw> usableStages() {
    return Generate.frequency(Draws.weight(3, ConvDraw.gen()),
        Draws.weight(3, PoolDraw.gen()), Draws.weight(1, BatchNormDraw.gen()),
        Draws.weight(1, ActivationDraw.gen()), Draws.weight(1, DropoutDraw.gen()),
        Draws.weight(6, ResidualDraw.gen()), Draws.weight(2, DenseBlockDraw.gen()),
        Draws.weight(2, TransitionDraw.gen()), Draws.weight(2, DualPathDraw.gen()));
  }

  /** A network's activation: any but {@code Act.DEFAULT}, ReLU (the default) first. */
  static Gen<Act> activations() {
    return Generate.pick(Stream.concat(Stream.of(Act.RELU),
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
