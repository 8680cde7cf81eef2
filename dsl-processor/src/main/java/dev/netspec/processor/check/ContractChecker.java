package dev.netspec.processor.check;

import static dev.netspec.processor.check.NetworkChecker.count;

import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.TensorShape;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.StageModel;
import dev.netspec.processor.read.Attributes;
import dev.netspec.processor.read.SpecDecl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contracts a spec states about itself: {@code @Output} (channels and stride of the last
 * stage, with the change that meets them) and {@code @Expect} (exact figures and budgets).
 */
final class ContractChecker {
  private final Diagnostics diagnostics;

  ContractChecker(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /**
   * @param output whether {@code @Output}'s values are valid: it is checked only then
   * @param expect whether the network's settings that the figures depend on are valid: {@code
   *     @Expect} is checked only then
   */
  void check(SpecDecl spec, NetworkModel model, boolean output, boolean expect) {
    if (output) {
      checkOutput(spec, model);
    }
    if (expect) {
      spec.expect().ifPresent(attributes -> checkExpect(spec, attributes, model));
    }
  }

  private void checkOutput(SpecDecl spec, NetworkModel model) {
    Attributes output = spec.network().annotation("output");
    int channels = output.integer("channels");
    int stride = output.integer("stride");
    TensorShape out = model.output();
    boolean channelsMiss = channels != -1 && channels != out.channels();
    boolean strideMiss = stride != -1 && stride != out.stride();
    if (!channelsMiss && !strideMiss) {
      return;
    }
    String yields = out.flat()
        ? "yields " + out.channels() + " flat features"
        : "yields " + out.channels() + " channels at stride " + out.stride();
    String wants = "@Output wants " + (channels != -1 ? channels + (stride != -1 ? "" : " channels") : "")
        + (stride != -1 ? (channels != -1 ? " at " : "") + "stride " + stride : "");
    List<String> fixes = new ArrayList<>();
    if (strideMiss) {
      fixes.add(out.flat()
          ? "remove the flattening head (" + lastFlattening(model) + ") to keep a feature map"
          : strideFix(model, out.stride(), stride));
    }
    if (channelsMiss && !out.flat()) {
      fixes.add("add @Conv(channels = " + channels + ", kernel = 1) as the last stage");
    } else if (channelsMiss) {
      fixes.add("end with @Dense(units = " + channels + ")");
    }
    diagnostics.error(spec.spec(), spec.network(), "output",
        model.className() + " " + yields + "; " + wants + ": " + String.join(", then ", fixes));
  }

  /** Which strided stages to change so the total stride becomes {@code wanted}. */
  private static String strideFix(NetworkModel model, int actual, int wanted) {
    if (wanted == 0) {
      return "end with @GlobalPool or @Classifier to flatten the output";
    }
    if (wanted > actual) {
      if (wanted % actual == 0) {
        return "downsample " + wanted / actual + "x more, e.g. add @Pool(kernel = "
            + wanted / actual + ") or set a larger stride on a stage";
      }
      return "no stride change reaches " + wanted + " from " + actual;
    }
    if (actual % wanted != 0) {
      return "stride " + wanted + " does not divide " + actual + "; no stride change reaches it";
    }
    final int factor = actual / wanted;
    // Each stage's downsampling comes from its own shape arithmetic; those the spec can undo are
    // the ones with a stride attribute, or whose kind has an unstrided equivalent.
    List<StageModel> stages = model.stages().stream().filter(ContractChecker::undoable).toList();
    List<StageModel> single = stages.stream().filter(s -> s.stride() == factor).toList();
    if (!single.isEmpty()) {
      // The last one keeps the most resolution early on; stages of its kind work as well.
      StageModel last = single.get(single.size() - 1);
      List<String> others = single.stream()
          .filter(s -> s != last && s.stage().kind().equals(last.stage().kind()))
          .map(StageModel::name).toList();
      return undo(List.of(last)) + (others.isEmpty() ? "" : " (or "
          + (last.stage().strideAttribute().isPresent() ? "on " : "likewise ")
          + String.join(" or ", others) + ")");
    }
    List<StageModel> changes = new ArrayList<>();
    int left = factor;
    for (int i = stages.size() - 1; i >= 0 && left > 1; i--) {
      int s = stages.get(i).stride();
      if (left % s == 0) {
        changes.add(0, stages.get(i));
        left /= s;
      }
    }
    if (left != 1) {
      return "remove a downsampling of " + actual / wanted + "x";
    }
    return undo(changes);
  }

  /** Whether the spec can take this stage's downsampling out. */
  private static boolean undoable(StageModel stage) {
    return stage.stride() > 1 && (stage.stage().strideAttribute().isPresent()
        || stage.stage().unstrided(stage.input()).isPresent());
  }

  /**
   * "set stride = 1 on layer3 and layer4", "replace transition3 with @Conv(…)": the stages with a
   * stride attribute together (by attribute), then each one replaced.
   */
  private static String undo(List<StageModel> stages) {
    Map<String, List<String>> byAttribute = new LinkedHashMap<>();
    List<String> replacements = new ArrayList<>();
    for (StageModel stage : stages) {
      Optional<String> attribute = stage.stage().strideAttribute();
      if (attribute.isPresent()) {
        byAttribute.computeIfAbsent(attribute.get(), a -> new ArrayList<>()).add(stage.name());
      } else {
        replacements.add("replace " + stage.name() + " with "
            + stage.stage().unstrided(stage.input()).orElseThrow());
      }
    }
    List<String> parts = new ArrayList<>();
    byAttribute.forEach((attribute, names) ->
        parts.add("set " + attribute + " = 1 on " + String.join(" and ", names)));
    parts.addAll(replacements);
    return String.join(" and ", parts);
  }

  private static String lastFlattening(NetworkModel model) {
    return model.stages().stream().filter(s -> s.output().flat() && !s.input().flat())
        .map(StageModel::name).reduce((a, b) -> b).orElse("the head");
  }

  private void checkExpect(SpecDecl spec, Attributes expect, NetworkModel model) {
    Cost cost = model.cost();
    String name = model.className();
    long parameters = expect.longInteger("parameters");
    if (parameters != -1 && parameters != cost.parameters()) {
      diagnostics.error(spec.spec(), expect, "parameters", name + " has " + count(cost.parameters())
          + " parameters; @Expect(parameters = " + count(parameters) + ") differs by "
          + signed(cost.parameters() - parameters));
    }
    long maxParameters = expect.longInteger("maxParameters");
    if (maxParameters != -1 && cost.parameters() > maxParameters) {
      diagnostics.error(spec.spec(), expect, "maxParameters", name + " has "
          + count(cost.parameters()) + " parameters, " + count(cost.parameters() - maxParameters)
          + " over the budget @Expect(maxParameters = " + count(maxParameters) + ")");
    }
    long macs = expect.longInteger("macs");
    long maxMacs = expect.longInteger("maxMacs");
    if ((macs != -1 || maxMacs != -1) && cost.macs() < 0) {
      diagnostics.error(spec.spec(), expect, macs != -1 ? "macs" : "maxMacs", name
          + "'s multiply-accumulates depend on the image size, which is dynamic; give @Input a"
          + " height and width to check them");
      return;
    }
    if (macs != -1 && macs != cost.macs()) {
      diagnostics.error(spec.spec(), expect, "macs", name + " has " + count(cost.macs())
          + " MACs; @Expect(macs = " + count(macs) + ") differs by " + signed(cost.macs() - macs));
    }
    if (maxMacs != -1 && cost.macs() > maxMacs) {
      diagnostics.error(spec.spec(), expect, "maxMacs", name + " has " + count(cost.macs())
          + " MACs, " + count(cost.macs() - maxMacs) + " over the budget @Expect(maxMacs = "
          + count(maxMacs) + ")");
    }
  }

  private static String signed(long value) {
    return (value > 0 ? "+" : "") + count(value);
  }
}
