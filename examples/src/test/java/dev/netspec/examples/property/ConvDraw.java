package dev.netspec.examples.property;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@code @Conv}. The kernel and dilation shrink until the window fits the input; the groups are
 * a common divisor of the input and output channels.
 *
 * @param padding -1 for the default, kernel / 2
 * @param groupIndex which common divisor of the channels the groups are
 */
record ConvDraw(int channels, int kernel, int stride, int padding, int dilation, int groupIndex,
    Unit unit) implements StageDraw {

  /** How the convolution is wrapped: its bias, BatchNorm, activation and their order. */
  record Unit(boolean bias, Norm norm, Act act, Order order) {
    static Gen<Unit> gen() {
      return Generate.booleans().zip(Draws.of(Norm.BATCH, Norm.NONE),
          Generate.enumValues(Act.class), Generate.enumValues(Order.class), Unit::new);
    }
  }

  static Gen<ConvDraw> gen() {
    Gen<Integer> channels = Draws.of(8, 16, 4, 32, 1, 3, 6, 12, 24, 48, 64);
    Gen<Integer> kernels = Draws.of(3, 1, 2, 5, 7);
    Gen<Integer> strides = Draws.of(1, 2, 3);
    Gen<Integer> paddings = Draws.of(-1, 0, 1, 2);
    Gen<Integer> dilations = Draws.of(1, 2, 3);
    Gen<Integer> groupIndices = integers().between(0, 5);
    Gen<Unit> units = Unit.gen();
    return in -> new ConvDraw(channels.generate(in), kernels.generate(in), strides.generate(in),
        paddings.generate(in), dilations.generate(in), groupIndices.generate(in),
        units.generate(in));
  }

  @Override
  public String name() {
    return "conv";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat()) {
      return Optional.empty();
    }
    int k = kernel;
    int d = dilation;
    while (span(k, d) > in.smallerSide() + 2 * padding(k)) {
      if (d > 1) {
        d--;
      } else {
        k--;
      }
    }
    int groups = Divisors.common(in.channels(), channels, groupIndex);
    AnnotationText text = new AnnotationText("Conv").set("channels", channels)
        .setUnless(3, "kernel", k).setUnless(1, "stride", stride).setUnless(-1, "padding", padding)
        .setUnless(1, "dilation", d).setUnless(1, "groups", groups)
        .setUnless(false, "bias", unit.bias()).setUnless(Norm.BATCH, "norm", unit.norm())
        .setUnless(Act.DEFAULT, "act", unit.act())
        .setUnless(Order.CONV_NORM_ACT, "order", unit.order());
    writer.cover(Feature.CONV);
    writer.coverIf(stride > 1, Feature.CONV_STRIDED);
    writer.coverIf(padding >= 0, Feature.CONV_PADDING);
    writer.coverIf(d > 1, Feature.CONV_DILATED);
    writer.coverIf(groups > 1, Feature.CONV_GROUPED);
    writer.coverIf(unit.bias(), Feature.CONV_BIAS);
    writer.coverIf(unit.norm() == Norm.NONE, Feature.CONV_WITHOUT_NORM);
    writer.coverIf(unit.order() == Order.NORM_ACT_CONV, Feature.CONV_PRE_ACTIVATION);
    writer.activation(unit.act());
    SpecShape out = in.windowed(span(k, d), padding(k), stride, false).withChannels(channels);
    return Optional.of(new WrittenStage(text.toString(), out));
  }

  private int padding(int k) {
    return padding < 0 ? k / 2 : padding;
  }

  private static int span(int kernel, int dilation) {
    return dilation * (kernel - 1) + 1;
  }
}
