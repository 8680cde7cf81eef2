package dev.netspec.runtime.onednn;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether this process runs TensorFlow with its oneDNN optimizations, and how that was decided.
 *
 * @param setting on, off, or TensorFlow's default (nothing set)
 * @param source who or what decided
 * @param measurement the timings behind the choice, or the cached ones where the user decided
 * @param detail the variable or property the user set, the cache file, or why measuring failed;
 *     one line
 */
public record OneDnnChoice(
    Setting setting, Source source, Optional<OneDnnMeasurement> measurement, String detail) {

  /** What {@code TF_ENABLE_ONEDNN_OPTS} is set to. */
  public enum Setting {
    ON, OFF,
    /** Nothing set: TensorFlow decides (on for x86 CPUs in TensorFlow 2.18). */
    DEFAULT
  }

  /** Who decided, in the order of precedence. */
  public enum Source {
    /** {@code TF_ENABLE_ONEDNN_OPTS} in the environment. */
    USER("set by the user"),
    /** {@code -Dnetspec.onednn} or {@code NETSPEC_ONEDNN}. */
    OVERRIDE("set by the user"),
    /** A measurement an earlier process made on this CPU. */
    CACHED("cached"),
    /** A measurement made for this process. */
    MEASURED("measured now"),
    /** Measuring failed: TensorFlow's default. */
    FAILED("the measurement failed"),
    /** Nothing cached and too late to measure: TensorFlow's default. */
    UNMEASURED("not measured");

    private final String phrase;

    Source(String phrase) {
      this.phrase = phrase;
    }
  }

  public OneDnnChoice {
    detail = detail.replaceAll("[\\r\\n\\t]+", " ").trim();
  }

  static OneDnnChoice of(boolean on, Source source, Optional<OneDnnMeasurement> measurement,
      String detail) {
    return new OneDnnChoice(on ? Setting.ON : Setting.OFF, source, measurement, detail);
  }

  static OneDnnChoice tensorFlowDefault(Source source, String detail) {
    return new OneDnnChoice(Setting.DEFAULT, source, Optional.empty(), detail);
  }

  /** The value for {@code TF_ENABLE_ONEDNN_OPTS}, or empty for TensorFlow's default. */
  public Optional<String> environmentValue() {
    return switch (setting) {
      case ON -> Optional.of("1");
      case OFF -> Optional.of("0");
      case DEFAULT -> Optional.empty();
    };
  }

  /**
   * {@code off (measured now: on 90.1 ms, off 45.2 ms)}, {@code on (set by the user:
   * TF_ENABLE_ONEDNN_OPTS=1; measured: on 9.52 ms, off 18.57 ms)}, {@code on (cached: on 9.52
   * ms, off 18.57 ms; FILE)}, {@code TensorFlow's default (the measurement failed: WHY)}.
   */
  public String describe() {
    String what = setting == Setting.DEFAULT ? "TensorFlow's default"
        : setting.name().toLowerCase(Locale.ROOT);
    StringBuilder s = new StringBuilder(what).append(" (").append(source.phrase);
    boolean userSet = source == Source.USER || source == Source.OVERRIDE;
    if (userSet) {
      s.append(": ").append(detail);
      measurement.ifPresent(m -> s.append("; measured: ").append(m.describe()));
    } else {
      measurement.ifPresent(m -> s.append(": ").append(m.describe()));
      if (!detail.isEmpty()) {
        s.append(measurement.isPresent() ? "; " : ": ").append(detail);
      }
    }
    return s.append(')').toString();
  }

  /**
   * One line for the launcher: {@code <on|off|default> <source> <on ms|-> <off ms|-> [detail]}.
   */
  public String toLine() {
    return String.join(" ", setting.name().toLowerCase(Locale.ROOT),
        source.name().toLowerCase(Locale.ROOT),
        measurement.map(m -> Double.toString(m.onMillis())).orElse("-"),
        measurement.map(m -> Double.toString(m.offMillis())).orElse("-"), detail).trim();
  }

  /** The choice {@link #toLine()} wrote, or empty for a line that is not one. */
  public static Optional<OneDnnChoice> parseLine(String line) {
    String[] f = line.trim().split(" ", 5);
    if (f.length < 4) {
      return Optional.empty();
    }
    try {
      Setting setting = Setting.valueOf(f[0].toUpperCase(Locale.ROOT));
      Source source = Source.valueOf(f[1].toUpperCase(Locale.ROOT));
      Optional<OneDnnMeasurement> measurement = f[2].equals("-") && f[3].equals("-")
          ? Optional.empty()
          : Optional.of(new OneDnnMeasurement(Double.parseDouble(f[2]), Double.parseDouble(f[3])));
      return Optional.of(new OneDnnChoice(setting, source, measurement, f.length > 4 ? f[4] : ""));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
