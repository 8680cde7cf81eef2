package dev.netspec.examples.zoo;

import dev.netspec.runtime.io.NameRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Renaming rules for a PyTorch Sequential that numbers a network's blocks in one sequence, as
 * torchvision's MobileNets number theirs ({@code features.1} … {@code features.17}), where
 * netspec numbers the repetitions of each stage ({@code stage2.0}, {@code stage2.1}, …): key
 * {@code <prefix>.<i>.<child>} becomes {@code <stage>.<repetition>.<netspec child>}, the stages
 * laid out in order from the first index.
 */
final class FlatBlocks {
  /**
   * How a block's child is named on either side: keys under {@code torch} (a module path such
   * as {@code conv.2}) move under {@code netspec} (such as {@code project.conv}); for a
   * Conv2dNormActivation, its {@code .0} under {@code netspec.conv} and its {@code .1} under
   * {@code netspec.bn}.
   */
  record Child(String torch, String netspec, boolean convNormAct) {}

  private record Block(int index, String stage, int repetition, List<Child> children) {}

  private final String prefix;
  private final List<Block> blocks = new ArrayList<>();
  private int next;

  /** Blocks from {@code <prefix>.<first>} on. */
  FlatBlocks(String prefix, int first) {
    this.prefix = prefix;
    this.next = first;
  }

  /** A child whose keys move as they are: {@code conv.2.weight} → {@code project.conv.weight}. */
  static Child plain(String torch, String netspec) {
    return new Child(torch, netspec, false);
  }

  /**
   * torchvision's Conv2dNormActivation {@code torch}, whose {@code .0} is the convolution and
   * {@code .1} the BatchNorm, as one netspec {@code @Conv} stage's {@code conv} and {@code bn}.
   */
  static Child convNormAct(String torch, String netspec) {
    return new Child(torch, netspec, true);
  }

  /** The next {@code repeat} indices are the repetitions of {@code stage}, with these children. */
  FlatBlocks stage(String stage, int repeat, Child... children) {
    for (int r = 0; r < repeat; r++) {
      blocks.add(new Block(next++, stage, r, List.of(children)));
    }
    return this;
  }

  /** One rule per block and child. */
  NameRules rules() {
    NameRules rules = NameRules.identity();
    for (Block block : blocks) {
      String from = escape(prefix + "." + block.index() + ".");
      String to = block.stage() + "." + block.repetition() + ".";
      for (Child child : block.children()) {
        String torch = from + escape(child.torch() + ".");
        if (child.convNormAct()) {
          String unit = to + child.netspec() + ".";
          rules = rules.rename(torch + "0\\.(.+)", unit + "conv.$1")
              .rename(torch + "1\\.(.+)", unit + "bn.$1");
        } else {
          rules = rules.rename(torch + "(.+)", to + child.netspec() + ".$1");
        }
      }
    }
    return rules;
  }

  private static String escape(String path) {
    return path.replace(".", "\\.");
  }
}
