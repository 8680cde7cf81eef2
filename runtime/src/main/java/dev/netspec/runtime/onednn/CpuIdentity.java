package dev.netspec.runtime.onednn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What identifies a CPU to its kernels: the first processor's vendor, family, model, stepping and
 * flags in {@code /proc/cpuinfo}, with its model name for people. Two machines with the same
 * identity run the same oneDNN and Eigen code paths.
 *
 * @param fields the lines of {@code /proc/cpuinfo} that identify the CPU, by name, in file order;
 *     empty where there is no {@code /proc/cpuinfo}
 */
public record CpuIdentity(Map<String, String> fields) {
  private static final List<String> IDENTIFYING =
      List.of("vendor_id", "cpu family", "model", "model name", "stepping", "flags");

  public CpuIdentity {
    fields = Map.copyOf(fields);
  }

  /** This machine's CPU; an empty identity where {@code /proc/cpuinfo} cannot be read. */
  public static CpuIdentity ofThisMachine() {
    return read(Path.of("/proc/cpuinfo"));
  }

  /** The CPU that a {@code /proc/cpuinfo} file describes; empty if it cannot be read. */
  public static CpuIdentity read(Path cpuinfo) {
    if (!Files.isReadable(cpuinfo)) {
      return new CpuIdentity(Map.of());
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      Map<String, String> found = new LinkedHashMap<>();
      lines.dropWhile(String::isBlank).takeWhile(l -> !l.isBlank())
          .map(l -> l.split(":", 2))
          .filter(kv -> kv.length == 2 && IDENTIFYING.contains(kv[0].trim()))
          .forEach(kv -> found.putIfAbsent(kv[0].trim(), kv[1].trim()));
      return new CpuIdentity(found);
    } catch (IOException | RuntimeException e) {
      return new CpuIdentity(Map.of());
    }
  }

  /** The identifying lines, {@code name: value}, in a fixed order; {@code cpu unknown} if none. */
  public String fingerprint() {
    if (fields.isEmpty()) {
      return "cpu unknown";
    }
    return IDENTIFYING.stream().filter(fields::containsKey)
        .map(name -> name + ": " + fields.get(name))
        .collect(Collectors.joining("\n"));
  }

  /** {@code Intel(R) Xeon(R) Processor (GenuineIntel family 6 model 207 stepping 2)}. */
  public String describe() {
    if (fields.isEmpty()) {
      return "an unknown CPU";
    }
    return fields.getOrDefault("model name", "?") + " (" + fields.getOrDefault("vendor_id", "?")
        + " family " + fields.getOrDefault("cpu family", "?")
        + " model " + fields.getOrDefault("model", "?")
        + " stepping " + fields.getOrDefault("stepping", "?") + ")";
  }
}
