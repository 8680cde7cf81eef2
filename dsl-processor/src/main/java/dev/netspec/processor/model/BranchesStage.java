package dev.netspec.processor.model;

import dev.netspec.annotations.Join;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code @Branches}: blocks run side by side on one input, each used once, their outputs joined.
 * Path {@code i} is the scope {@code paths.<i>}, its block's methods below it; the join is the
 * node {@code add}, {@code concat}, or timm's selective-kernel attention {@code attn.*} with the
 * weighted sum {@code select}.
 *
 * @param paths each a {@link BlockStage} of one repetition
 * @param reduction {@link Join#SELECT}'s squeeze: C / reduction
 * @param divisor {@link Join#SELECT}'s squeeze: rounded to a multiple of this, at least this
 */
public record BranchesStage(List<BlockStage> paths, Join join, int reduction, int divisor)
    implements Stage {
  public static final String KIND = "Branches";

  public BranchesStage {
    paths = List.copyOf(paths);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String description() {
    return KIND + " " + paths.size() + " " + join.name().toLowerCase(Locale.ROOT);
  }

  /** Where path {@code i}'s problems are reported: its {@code @Branch} in the array. */
  public static String path(int i) {
    return "value[" + i + "]";
  }

  @Override
  public List<Problem> checkSettings() {
    return withPathSettings(settings()).list();
  }

  /** {@code rules} with the problems of each path's own settings, on its {@code @Branch}. */
  private Rules withPathSettings(Rules rules) {
    for (int i = 0; i < paths.size(); i++) {
      String at = path(i);
      paths.get(i).checkSettings().forEach(p -> rules.add(p.within(at)));
    }
    return rules;
  }

  private Rules settings() {
    Rules rules = new Rules(KIND);
    if (paths.size() < 2) {
      rules.add("value", "@Branches runs two or more paths side by side, but has " + paths.size()
          + "; add a @Branch, or use the block as @Stack(block = "
          + (paths.isEmpty() ? "..." : paths.get(0).block().name()) + ".class)");
    }
    if (join == Join.SELECT) {
      rules.positive("reduction", reduction).positive("divisor", divisor);
    }
    return rules;
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = settings().featureMap(in);
    if (!rules.ok()) {
      return withPathSettings(rules).list();
    }
    List<TensorShape> outputs = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      List<Problem> problems = paths.get(i).check(in);
      String at = path(i);
      problems.forEach(p -> rules.add(p.within(at)));
      outputs.add(problems.isEmpty() ? paths.get(i).output(in) : null);
    }
    if (!rules.ok()) {
      return rules.list();
    }
    TensorShape first = outputs.get(0);
    for (int i = 1; i < outputs.size(); i++) {
      String mismatch = mismatch(in, first, outputs.get(i));
      if (mismatch != null) {
        rules.add(path(i) + ".with", "path " + i + " (" + paths.get(i).block().name() + ") yields "
            + outputs.get(i).describe() + ", but path 0 (" + paths.get(0).block().name()
            + ") yields " + first.describe() + "; Join." + join + " " + mismatch);
      }
    }
    return rules.list();
  }

  /**
   * Why the join cannot join a path's output {@code other} to path 0's, {@code first}, on the
   * stage's input {@code in}; null where it can.
   */
  private String mismatch(TensorShape in, TensorShape first, TensorShape other) {
    if (other.flat()) {
      return "joins feature maps; a path cannot end flat";
    }
    boolean size = first.height() != other.height() || first.width() != other.width()
        || first.stride() != other.stride();
    if (size) {
      String what = join == Join.CONCAT ? "concatenates maps of one size along the channels"
          : "adds maps of one size";
      return first.stride() != other.stride()
          ? what + ": set this path's stride to " + first.stride() / in.stride() + ", as path 0's"
          : what + ": pad this path's convolutions as path 0's are padded";
    }
    if (join != Join.CONCAT && first.channels() != other.channels()) {
      return (join == Join.ADD ? "adds" : "weighs and adds") + " paths of one shape: give this"
          + " path " + first.channels() + " output channels, as path 0, or join with Join.CONCAT";
    }
    return null;
  }

  /** The width of {@link Join#SELECT}'s squeeze for paths of {@code channels} channels. */
  public int attentionChannels(int channels) {
    return Arithmetic.makeDivisible(channels * (1.0 / reduction), divisor, divisor);
  }

  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    int[] outputs = new int[paths.size()];
    for (int i = 0; i < paths.size(); i++) {
      outputs[i] = g.inline("paths." + i, paths.get(i).expandOnce(in), Graph.INPUT);
    }
    return g.build(switch (join) {
      case ADD -> g.add("add", new Add(), outputs);
      case CONCAT -> g.add("concat", new Concat(), outputs);
      case SELECT -> {
        int channels = paths.get(0).output(in).channels();
        yield SelectiveKernel.select(g, "", outputs, channels, attentionChannels(channels));
      }
    });
  }
}
