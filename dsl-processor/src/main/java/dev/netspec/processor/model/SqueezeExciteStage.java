package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/**
 * {@code @SqueezeExcite} as a stage: torchvision's {@code SqueezeExcitation(C, channels, act,
 * gate)} on its input of C channels, variables {@code fc1.*} and {@code fc2.*}.
 *
 * @param channels the squeezed width; -1 for {@code max(C / reduction, minChannels)}, where
 *     written in the annotation
 * @param computed whether a {@code @Let} expression gave {@code channels}: then -1 is a width
 *     like any other, and wrong as 0 is
 */
public record SqueezeExciteStage(int channels, boolean computed, int reduction, int minChannels,
    Act act, Act gate) implements Stage {
  static final List<Act> GATES = List.of(Act.SIGMOID, Act.HARDSIGMOID);

  @Override
  public String kind() {
    return "SqueezeExcite";
  }

  @Override
  public String description() {
    return "SqueezeExcite " + act.name().toLowerCase(java.util.Locale.ROOT) + " "
        + gate.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The squeezed width for an input of {@code in} channels. */
  public int hidden(int in) {
    return channels == -1 && !computed ? Math.max(in / reduction, minChannels) : channels;
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind()).featureMap(in);
    checkSettings().forEach(rules::add);
    return rules.list();
  }

  @Override
  public List<Problem> checkSettings() {
    Rules rules = new Rules(kind()).positive("reduction", reduction)
        .positive("minChannels", minChannels);
    if (computed && channels < 1) {
      rules.add("channels", "@Let(channels) gives the squeeze " + channels + " channels; it needs"
          + " at least 1: change the expression, or leave channels out of @SqueezeExcite and"
          + " @Let for max(C / reduction, minChannels)");
    } else if (channels != -1) {
      rules.positive("channels", channels);
    }
    if (!GATES.contains(gate)) {
      rules.add("gate", "@SqueezeExcite(gate = Act." + gate + ") is no gate: a gate scales each"
          + " channel by a factor in [0, 1]; use Act.SIGMOID (EfficientNet) or Act.HARDSIGMOID"
          + " (MobileNetV3)");
    }
    return rules.list();
  }

  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(SqueezeExciteUnit.excite(g, "", Graph.INPUT, hidden(in.channels()),
        in.channels(), act, gate));
  }
}
