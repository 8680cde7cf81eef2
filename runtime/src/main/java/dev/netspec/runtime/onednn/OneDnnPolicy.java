package dev.netspec.runtime.onednn;

import dev.netspec.runtime.onednn.OneDnnChoice.Setting;
import dev.netspec.runtime.onednn.OneDnnChoice.Source;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The precedence that decides oneDNN for a process: {@code TF_ENABLE_ONEDNN_OPTS} as the user
 * set it, then {@code -Dnetspec.onednn} or {@code NETSPEC_ONEDNN} ({@code on}, {@code off} or
 * {@code auto}), then the measurement cached for this CPU, then a measurement made now. A choice
 * the launcher made and passed down in {@value #LAUNCHER_VARIABLE} is taken as it stands.
 */
final class OneDnnPolicy {
  /** What TensorFlow reads once, when its library loads. */
  static final String TENSORFLOW_VARIABLE = "TF_ENABLE_ONEDNN_OPTS";
  static final String OVERRIDE_VARIABLE = "NETSPEC_ONEDNN";
  static final String OVERRIDE_PROPERTY = "netspec.onednn";
  /** The launcher's choice, {@link OneDnnChoice#toLine()}, beside the variable it set. */
  static final String LAUNCHER_VARIABLE = "NETSPEC_ONEDNN_DECISION";

  /** Times oneDNN on and off. */
  @FunctionalInterface
  interface Measurer {
    OneDnnMeasurement measure() throws IOException, InterruptedException;
  }

  private final Map<String, String> environment;
  private final String property;
  private final OneDnnVerdictCache cache;
  private final Measurer measurer;
  private final Consumer<String> warnings;

  /**
   * @param environment the process's environment
   * @param property {@code -Dnetspec.onednn}, or null
   * @param warnings where a value that means nothing, or a cache that cannot be written, is said
   */
  OneDnnPolicy(Map<String, String> environment, String property, OneDnnVerdictCache cache,
      Measurer measurer, Consumer<String> warnings) {
    this.environment = environment;
    this.property = property;
    this.cache = cache;
    this.measurer = measurer;
    this.warnings = warnings;
  }

  /**
   * The choice for this process; with {@code mayMeasure} false (TensorFlow is loaded already, so
   * the choice can only be advice), nothing is measured.
   */
  OneDnnChoice decide(boolean mayMeasure) {
    String set = environment.get(TENSORFLOW_VARIABLE);
    Optional<OneDnnChoice> launcher = Optional.ofNullable(environment.get(LAUNCHER_VARIABLE))
        .flatMap(OneDnnChoice::parseLine)
        .filter(c -> c.environmentValue().equals(Optional.ofNullable(set)));
    if (launcher.isPresent()) {
      OneDnnChoice c = launcher.get();
      // the launcher overrides without reading the measurement; the timings are still worth showing
      return c.source() == Source.OVERRIDE && c.measurement().isEmpty()
          ? new OneDnnChoice(c.setting(), c.source(), cache.read(), c.detail()) : c;
    }
    if (set != null) {
      return new OneDnnChoice(tensorFlowReading(set), Source.USER, cache.read(),
          TENSORFLOW_VARIABLE + "=" + set);
    }
    Optional<OneDnnChoice> override = override();
    if (override.isPresent()) {
      return override.get();
    }
    Optional<OneDnnMeasurement> cached = cache.read();
    if (cached.isPresent()) {
      return OneDnnChoice.of(cached.get().favoursOn(), Source.CACHED, cached,
          cache.file().toString());
    }
    if (!mayMeasure) {
      return OneDnnChoice.tensorFlowDefault(Source.UNMEASURED, "");
    }
    OneDnnMeasurement measured;
    try {
      measured = measurer.measure();
    } catch (IOException | RuntimeException e) {
      return OneDnnChoice.tensorFlowDefault(Source.FAILED, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OneDnnChoice.tensorFlowDefault(Source.FAILED, "interrupted");
    }
    try {
      cache.write(measured);
    } catch (IOException | RuntimeException e) {
      warnings.accept("cannot keep the oneDNN measurement in " + cache.file() + ": " + e);
    }
    return OneDnnChoice.of(measured.favoursOn(), Source.MEASURED, Optional.of(measured), "");
  }

  /** {@code -Dnetspec.onednn}, else {@code NETSPEC_ONEDNN}; empty for {@code auto}. */
  private Optional<OneDnnChoice> override() {
    String name = "-D" + OVERRIDE_PROPERTY;
    String value = property;
    if (value == null || value.isBlank()) {
      name = OVERRIDE_VARIABLE;
      value = environment.get(OVERRIDE_VARIABLE);
    }
    if (value == null) {
      return Optional.empty();
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on":
        return Optional.of(OneDnnChoice.of(true, Source.OVERRIDE, cache.read(), name + "=" + value));
      case "off":
        return Optional.of(OneDnnChoice.of(false, Source.OVERRIDE, cache.read(), name + "=" + value));
      case "auto":
      case "":
        return Optional.empty();
      default:
        warnings.accept(name + "=" + value + " is not on, off or auto; choosing oneDNN as for auto");
        return Optional.empty();
    }
  }

  /** What TensorFlow makes of the variable: true/1 and false/0, anything else its default. */
  private static Setting tensorFlowReading(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "1", "true" -> Setting.ON;
      case "0", "false" -> Setting.OFF;
      default -> Setting.DEFAULT;
    };
  }
}
