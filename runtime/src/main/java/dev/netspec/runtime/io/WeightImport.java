package dev.netspec.runtime.io;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Imports a PyTorch state dict into a {@link Model}: keys renamed by {@link NameRules}, layouts
 * changed by {@link Layout} (OIHW → HWIO, linear {@code [out, in] → [in, out]}, 1×1-conv
 * classifiers → linear, flattened inputs to NHWC order, input channels adapted), BatchNorm
 * running statistics included, {@code num_batches_tracked} ignored.
 *
 * <p>All or nothing: every key and variable is matched and every shape checked from the source's
 * header before any value is read; every value is read, converted and checked finite before
 * {@link Model#assign(Map)} sets all variables in one session run. Any problem throws a {@link
 * WeightImportException} listing all of them, and the model keeps its values.
 *
 * <p>Strict by default: a variable the source lacks or a key that matches no variable is a
 * problem. {@link #strict(boolean) Non-strict} imports leave such variables as initialized and
 * ignore such keys; {@link #skipHead(boolean)} leaves the classifier head out (another number of
 * classes when fine-tuning). A shape that does not fit is a problem either way.
 *
 * <p>Immutable; each wither returns a new import.
 */
public final class WeightImport {
  private static final String BATCHES_TRACKED = "num_batches_tracked";

  /** Problems of each kind listed first in a message. */
  private static final int SAMPLE = 8;

  private final NameRules rules;
  private final boolean strict;
  private final boolean skipHead;
  private final boolean adaptInputChannels;
  private final Set<String> excluded;

  private WeightImport(NameRules rules, boolean strict, boolean skipHead,
      boolean adaptInputChannels, Set<String> excluded) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.strict = strict;
    this.skipHead = skipHead;
    this.adaptInputChannels = adaptInputChannels;
    this.excluded = Set.copyOf(excluded);
  }

  /** A strict import renaming keys by {@code rules}, adapting input channels where needed. */
  public static WeightImport withRules(NameRules rules) {
    return new WeightImport(rules, true, false, true, Set.of());
  }

  public WeightImport strict(boolean strict) {
    return new WeightImport(rules, strict, skipHead, adaptInputChannels, excluded);
  }

  /** Leaves the head's keys out and the head's variables as initialized. */
  public WeightImport skipHead(boolean skipHead) {
    return new WeightImport(rules, strict, skipHead, adaptInputChannels, excluded);
  }

  /** Whether 3-channel input convolutions may be adapted to the network's image channels. */
  public WeightImport adaptInputChannels(boolean adapt) {
    return new WeightImport(rules, strict, skipHead, adapt, excluded);
  }

  /** Keys of the source that are not weights (a parity file's {@code input} and {@code output}). */
  public WeightImport exclude(Collection<String> keys) {
    return new WeightImport(rules, strict, skipHead, adaptInputChannels, Set.copyOf(keys));
  }

  /** Imports the {@code .safetensors} file at {@code file}. */
  public ImportReport into(Model<?> model, Path file) throws IOException {
    try (SafetensorsFile source = SafetensorsFile.open(file)) {
      return into(model, source);
    }
  }

  /** Imports {@code source} into {@code model}: all of it, or nothing. */
  public ImportReport into(Model<?> model, StateDict source) throws IOException {
    Plan plan = plan(model, source);
    Map<String, TFloat32> values = new LinkedHashMap<>();
    try {
      List<String> problems = new ArrayList<>();
      long count = 0;
      for (Map.Entry<String, Pair> e : plan.pairs().entrySet()) {
        Pair pair = e.getValue();
        float[] converted = pair.layout().apply(source.read(pair.key()));
        Optional<FiniteValues.Offender> nonFinite = FiniteValues.inspect(pair.key(), converted);
        if (nonFinite.isPresent()) {
          problems.add(nonFinite.get().describe());
          continue;
        }
        if (e.getKey().endsWith(".running_var")) {
          int negative = firstNegative(converted);
          if (negative >= 0) {
            problems.add("'" + pair.key() + "' holds a negative variance, " + converted[negative]
                + " (running_mean and running_var swapped?)");
            continue;
          }
        }
        values.put(e.getKey(), TFloat32.tensorOf(pair.layout().targetShape(),
            DataBuffers.of(converted, true, false)));
        count += converted.length;
      }
      if (!problems.isEmpty()) {
        throw new WeightImportException("cannot import " + describe(source), problems);
      }
      model.assign(values);
      return new ImportReport(values.size(), count, plan.adapted(), plan.missing(),
          plan.unexpected(), plan.skipped(), plan.ignored());
    } finally {
      values.values().forEach(TFloat32::close);
    }
  }

  /**
   * Matches keys to variables and checks every shape without reading values or changing the
   * model; the report says what an import would do.
   *
   * @throws WeightImportException listing every problem
   */
  public ImportReport check(Model<?> model, StateDict source) {
    Plan plan = plan(model, source);
    long count = plan.pairs().values().stream()
        .mapToLong(p -> p.layout().targetShape().size()).sum();
    return new ImportReport(plan.pairs().size(), count, plan.adapted(), plan.missing(),
        plan.unexpected(), plan.skipped(), plan.ignored());
  }

  private record Pair(String key, Layout layout) {}

  private record Plan(Map<String, Pair> pairs, List<String> adapted, List<String> missing,
      List<String> unexpected, List<String> skipped, List<String> ignored) {}

  private Plan plan(Model<?> model, StateDict source) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(source, "source");
    VariableStore store = model.variables();
    VariableRoles roles = VariableRoles.of(model);
    List<String> problems = new ArrayList<>();
    if (skipHead && !roles.hasHead()) {
      problems.add("skip head: the network has no @Classifier or @Dense head"
          + (roles.described() ? "" : " that a descriptor states (the model was built without one)"));
    }
    Map<String, String> keyOf = new LinkedHashMap<>();
    List<String> unexpected = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (String key : source.names()) {
      if (excluded.contains(key) || key.equals(BATCHES_TRACKED)
          || key.endsWith("." + BATCHES_TRACKED)) {
        ignored.add(key);
        continue;
      }
      Optional<String> mapped = rules.map(key);
      if (mapped.isEmpty()) {
        ignored.add(key);
        continue;
      }
      String name = mapped.get();
      if (skipHead && roles.inHead(name)) {
        skipped.add(key);
        continue;
      }
      if (!store.contains(name)) {
        unexpected.add(key.equals(name) ? "'" + key + "'" : "'" + key + "' (as '" + name + "')");
        continue;
      }
      String earlier = keyOf.putIfAbsent(name, key);
      if (earlier != null) {
        problems.add("both '" + earlier + "' and '" + key + "' map to variable '" + name + "'");
      }
    }
    Map<String, Pair> pairs = new LinkedHashMap<>();
    List<String> misfits = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> adapted = new ArrayList<>();
    for (VariableStore.Entry entry : store.entries()) {
      String name = entry.name();
      String key = keyOf.get(name);
      if (key == null) {
        if (!(skipHead && roles.inHead(name))) { // a skipped head keeps its initial values
          missing.add("'" + name + "' " + entry.shape() + " (PyTorch shape "
              + Arrays.toString(torchShape(entry.shape())) + ")");
        }
        continue;
      }
      Shape shape = source.shape(key);
      Optional<String> unreadable = source.unreadable(key);
      if (unreadable.isPresent()) {
        problems.add("'" + key + "' cannot be read: " + unreadable.get());
        continue;
      }
      boolean inputConv = adaptInputChannels && roles.isInputConv(name);
      Optional<Layout> layout =
          Layout.plan(shape, entry.shape(), roles.flattenedInput(name), inputConv);
      if (layout.isEmpty()) {
        misfits.add(misfit(key, shape, name, entry.shape(), inputConv));
        continue;
      }
      if (layout.get().kind() == Layout.Kind.ADAPTED_CONV) {
        adapted.add(name + ": " + shape + " -> " + entry.shape());
      }
      pairs.put(name, new Pair(key, layout.get()));
    }
    List<String> counts = new ArrayList<>();
    List<List<String>> kinds = new ArrayList<>();
    if (strict) {
      kinds.add(missing.stream().map(m -> "missing " + m).toList());
      kinds.add(unexpected.stream().map(u -> "unexpected " + u).toList());
      count(counts, missing.size(), "missing");
      count(counts, unexpected.size(), "unexpected");
    }
    kinds.add(misfits);
    count(counts, misfits.size(), "mis-shaped");
    // the first few of each kind first, so that a shortened message shows every kind
    kinds.forEach(k -> problems.addAll(k.subList(0, Math.min(k.size(), SAMPLE))));
    kinds.forEach(k -> problems.addAll(k.subList(Math.min(k.size(), SAMPLE), k.size())));
    if (!problems.isEmpty()) {
      throw new WeightImportException("cannot import " + describe(source) + " into "
          + model.network().getClass().getSimpleName()
          + (counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")")
          + (strict && (!missing.isEmpty() || !unexpected.isEmpty())
              ? "; strict: see --non-strict and --skip-head" : ""), problems);
    }
    return new Plan(pairs, adapted, strict ? List.of() : missing,
        strict ? List.of() : unexpected, skipped, ignored);
  }

  private static void count(List<String> counts, int count, String what) {
    if (count > 0) {
      counts.add(count + " " + what);
    }
  }

  private static String misfit(String key, Shape shape, String name, Shape target,
      boolean inputConv) {
    String text = "'" + key + "' has PyTorch shape " + shape + "; variable '" + name
        + "' needs " + target + " (PyTorch shape " + Arrays.toString(torchShape(target)) + ")";
    if (inputConv && shape.numDimensions() == 4 && target.numDimensions() == 4
        && shape.get(1) != target.get(2)) {
      text += ": input channels " + shape.get(1) + " cannot be adapted to " + target.get(2)
          + " (only weights made for 3 channels adapt)";
    }
    return text;
  }

  /** netspec's layout of a variable, as PyTorch would shape it: HWIO as OIHW, [in, out] as [out, in]. */
  static long[] torchShape(Shape shape) {
    long[] s = shape.asArray();
    return switch (s.length) {
      case 4 -> new long[] {s[3], s[2], s[0], s[1]};
      case 2 -> new long[] {s[1], s[0]};
      default -> s;
    };
  }

  private static int firstNegative(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(StateDict source) {
    return source instanceof SafetensorsFile file ? file.path().toString() : "the state dict";
  }
}
