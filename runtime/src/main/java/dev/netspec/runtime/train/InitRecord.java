package dev.netspec.runtime.train;

import dev.netspec.runtime.io.InitReport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a fine-tuning run's checkpoints say of its start, beside the {@link FineTuning} settings:
 * the weights file it loaded, its format, and the variables it did not load (a replaced
 * classifier's), which learn at the full rate also after {@code --resume}.
 *
 * @param file the weights file, absolute
 * @param format "state dict" or "checkpoint"
 * @param fresh the variables not loaded from it
 */
record InitRecord(Path file, String format, Set<String> fresh) {
  private static final String FILE = "init_file";
  private static final String FORMAT = "init_format";
  /** Comma-separated: variable names are dotted identifiers. */
  static final String FRESH = "init_fresh_variables";

  InitRecord {
    fresh = Set.copyOf(fresh);
  }

  /** What loading the weights did, as the run records it. */
  static InitRecord of(InitReport report) {
    return new InitRecord(report.source().toAbsolutePath(), report.format().label(),
        report.freshVariables());
  }

  /** Reads what {@link #toMetadata()} wrote. */
  static InitRecord fromMetadata(Map<String, String> m, String what) {
    Metadata in = new Metadata(m, what);
    Set<String> fresh = Arrays.stream(in.text(FRESH).split(",")).filter(n -> !n.isEmpty())
        .collect(Collectors.toSet());
    return new InitRecord(Path.of(in.text(FILE)), in.text(FORMAT), fresh);
  }

  Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(FILE, file.toString());
    m.put(FORMAT, format);
    m.put(FRESH, String.join(",", new TreeSet<>(fresh)));
    return m;
  }
}
