package dev.netspec.runtime.io;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.StageInfo;
import dev.netspec.runtime.VariableStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Pretrained weights to start a model from: a PyTorch state dict ({@code .safetensors} with
 * PyTorch's key names, renamed by {@link NameRules}, converted and with 3-channel input
 * convolutions adapted as {@link WeightImport} does) or a netspec checkpoint (its weights and
 * BatchNorm statistics; its optimizer state is left out).
 *
 * <p>Every variable is loaded, except the classifier when the source predicts another number of
 * classes than the network: then the classifier keeps its initial values and the {@link
 * InitReport} says so. The classifier is the network's last stage when it is a {@code
 * @Classifier} or {@code @Dense}, its class count the size of that stage's output. Any other
 * difference is refused before anything is loaded, naming each variable with both shapes.
 */
public final class PretrainedWeights {

  /** What kind of file the weights are in. */
  public enum Format {
    STATE_DICT("state dict"), CHECKPOINT("checkpoint");

    private final String label;

    Format(String label) {
      this.label = label;
    }

    /** "state dict", "checkpoint". */
    public String label() {
      return label;
    }
  }

  private static final String ADVICE = "start from weights of the same architecture (only the "
      + "classifier may predict another number of classes)";

  private final Path file;
  private final NameRules rules;
  private final Format format;

  private PretrainedWeights(Path file, NameRules rules, Format format) {
    this.file = file;
    this.rules = rules;
    this.format = format;
  }

  /**
   * The weights in {@code file}: a netspec checkpoint when its metadata says so, else a PyTorch
   * state dict whose keys {@code rules} rename.
   *
   * @throws IllegalArgumentException when there is no such file or it is no safetensors file
   */
  public static PretrainedWeights of(Path file, NameRules rules) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(rules, "rules");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no pretrained weights at " + file + ": give a "
          + ".safetensors file (a PyTorch state dict or a netspec checkpoint) or a run folder");
    }
    boolean checkpoint = Checkpoint.FORMAT.equals(
        SafeTensors.open(file).metadata().get(Checkpoint.FORMAT_KEY));
    return new PretrainedWeights(file, rules, checkpoint ? Format.CHECKPOINT : Format.STATE_DICT);
  }

  public Path file() {
    return file;
  }

  public Format format() {
    return format;
  }

  /**
   * Assigns the weights to {@code model}'s variables, all of them or none.
   *
   * @throws IllegalArgumentException listing every variable that does not fit, with both shapes
   *     (a {@link WeightImportException} for a state dict); the model keeps its values then
   */
  public InitReport loadInto(Model<?> model) throws IOException {
    Objects.requireNonNull(model, "model");
    Optional<Head> classifier = Head.of(model);
    return format == Format.CHECKPOINT ? fromCheckpoint(model, classifier)
        : fromStateDict(model, classifier);
  }

  private InitReport fromStateDict(Model<?> model, Optional<Head> classifier)
      throws IOException {
    try (SafetensorsFile source = SafetensorsFile.open(file)) {
      // the classifier's weight in PyTorch's layout: [classes, in] (or [classes, in, 1, 1])
      Optional<Long> sourceClasses = classifier.flatMap(c -> keyOf(source, c.weight()))
          .map(key -> source.shape(key).get(0));
      Optional<InitReport.HeadReplacement> replaced = replacement(classifier, sourceClasses);
      ImportReport report;
      try {
        report = WeightImport.withRules(rules).skipHead(replaced.isPresent()).into(model, source);
      } catch (WeightImportException e) {
        throw new WeightImportException("cannot start " + name(model) + " from the state dict "
            + file + ": " + ADVICE + "; for keys named as another family's, give its renaming "
            + "rules", e.problems());
      }
      return new InitReport(file, format, report.loaded(), report.values(), report.adapted(),
          replaced);
    }
  }

  private Optional<String> keyOf(SafetensorsFile source, String variable) {
    return source.names().stream()
        .filter(key -> rules.map(key).filter(variable::equals).isPresent())
        .findFirst();
  }

  private InitReport fromCheckpoint(Model<?> model, Optional<Head> classifier) {
    Checkpoint checkpoint = Checkpoint.open(file);
    Map<String, Shape> found = checkpoint.shapes();
    // netspec's layout: the classifier's weight is [in, classes]
    Optional<Long> sourceClasses = classifier.map(Head::weight)
        .filter(found::containsKey).map(w -> found.get(w).get(found.get(w).numDimensions() - 1));
    Optional<InitReport.HeadReplacement> replaced = replacement(classifier, sourceClasses);
    Set<String> fresh = replaced.map(InitReport.HeadReplacement::variables).orElse(Set.of());
    Map<String, Shape> expected = new LinkedHashMap<>();
    for (VariableStore.Entry entry : model.variables().entries()) {
      if (!fresh.contains(entry.name())) {
        expected.put(entry.name(), entry.shape());
      }
    }
    // the optimizer's state and a replaced classifier are there but not wanted
    found.forEach((name, shape) -> {
      if (name.startsWith(Checkpoint.OPTIMIZER_PREFIX) || fresh.contains(name)) {
        expected.put(name, shape);
      }
    });
    try {
      checkpoint.checkMatches(model.network().getClass().getName(), expected);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot start " + name(model) + " from the checkpoint: "
          + e.getMessage() + "\n  " + ADVICE, e);
    }
    List<String> names = new ArrayList<>();
    model.variables().entries().stream().map(VariableStore.Entry::name)
        .filter(n -> !fresh.contains(n)).forEach(names::add);
    Map<String, TFloat32> values = checkpoint.read(names);
    try {
      model.assign(values);
      long count = values.values().stream().mapToLong(t -> t.shape().size()).sum();
      return new InitReport(file, format, values.size(), count, List.of(), replaced);
    } finally {
      values.values().forEach(TFloat32::close);
    }
  }

  /** The classifier's replacement when the source's class count is known and differs. */
  private static Optional<InitReport.HeadReplacement> replacement(
      Optional<Head> classifier, Optional<Long> sourceClasses) {
    if (classifier.isEmpty() || sourceClasses.isEmpty()
        || sourceClasses.get() == classifier.get().classes()) {
      return Optional.empty();
    }
    Head c = classifier.get();
    return Optional.of(new InitReport.HeadReplacement(c.stage(), sourceClasses.get(), c.classes(),
        c.variables()));
  }

  private static String name(Model<?> model) {
    return model.network().getClass().getSimpleName();
  }

  /**
   * The network's classifier: the first stage of its {@link NetworkDescriptor#head() head}, the
   * last that ends in a fully connected layer, with a weight {@code [in, classes]}; the head's
   * variables are what a replacement starts afresh.
   */
  private record Head(String stage, String weight, long classes, Set<String> variables) {
    static Optional<Head> of(Model<?> model) {
      List<StageInfo> head = model.descriptor().map(NetworkDescriptor::head).orElse(List.of());
      if (head.isEmpty()) {
        return Optional.empty();
      }
      List<String> prefixes = head.stream().map(stage -> stage.name() + ".").toList();
      Set<String> variables = new LinkedHashSet<>();
      model.variables().entries().stream().map(VariableStore.Entry::name)
          .filter(n -> prefixes.stream().anyMatch(n::startsWith)).forEach(variables::add);
      String weight = prefixes.get(0) + "weight";
      Optional<VariableStore.Entry> entry = model.variables().find(weight)
          .filter(e -> e.shape().numDimensions() == 2);
      return entry.map(e -> new Head(head.get(0).name(), weight, e.shape().get(1), variables));
    }
  }
}
