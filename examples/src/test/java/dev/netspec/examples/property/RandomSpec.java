package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A random valid network: the sources of its spec and of the specs it uses, what the generator
 * expects of them, and how to run it. Shown as its sources, so that a failing try reads as the
 * spec a person would write.
 *
 * @param className the generated class of the spec for the fixed image size
 * @param dynamicClassName the generated class of the same spec for any size, where there is one
 * @param input the image both are run on
 * @param stages the spec's stages with the outputs the generator expects
 */
record RandomSpec(List<String> sources, String className, Optional<String> dynamicClassName,
    SpecShape input, List<DeclaredStage> stages, SpecShape output, Set<Feature> features,
    Set<Act> activations, NetworkDraw.Run run) {

  @Override
  public String toString() {
    return "\n" + String.join("\n", sources) + "run in " + run.mode() + " on a batch of "
        + run.batch() + " " + input.height() + "x" + input.width() + "x" + input.channels()
        + " images, seed " + run.seed() + "\n";
  }
}
