package dev.netspec.runtime.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What starting a model from pretrained weights did.
 *
 * @param source the file the weights came from
 * @param format whether it was a PyTorch state dict or a netspec checkpoint
 * @param loaded variables assigned from it
 * @param values the number of values assigned
 * @param adapted input convolutions whose channels were adapted, "name: [from] -> [to]"
 * @param head the classifier, when it was replaced because the source predicts another number of
 *     classes
 */
public record InitReport(Path source, PretrainedWeights.Format format, int loaded, long values,
    List<String> adapted, Optional<HeadReplacement> head) {

  public InitReport {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(format, "format");
    adapted = List.copyOf(adapted);
    Objects.requireNonNull(head, "head");
  }

  /**
   * A classifier left with its initial values because the source was trained for another number
   * of classes.
   *
   * @param stage the classifier's stage
   * @param sourceClasses the classes the source predicts
   * @param classes the classes the network predicts
   * @param variables the classifier's variables: the part of the network that is not pretrained
   */
  public record HeadReplacement(String stage, long sourceClasses, long classes,
      Set<String> variables) {
    public HeadReplacement {
      variables = Set.copyOf(variables);
    }

    /**
     * "classifier 'fc' replaced and reinitialized: the weights predict 10 classes, the network 4".
     */
    public String describe() {
      return String.format(Locale.ROOT, "classifier '%s' replaced and reinitialized: the weights "
          + "predict %d classes, the network %d", stage, sourceClasses, classes);
    }
  }

  /** The variables not loaded from the source: the replaced classifier's, if any. */
  public Set<String> freshVariables() {
    return head.map(HeadReplacement::variables).orElse(Set.of());
  }

  /** "loaded 62 tensors (11,176,512 values) from the state dict w.safetensors; ...". */
  public String summary() {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
        "loaded %d tensors (%,d values) from the %s %s", loaded, values, format.label(), source));
    if (!adapted.isEmpty()) {
      text.append("; ").append(adapted.size()).append(adapted.size() == 1
          ? " input convolution adapted" : " input convolutions adapted");
    }
    return text.toString();
  }
}
