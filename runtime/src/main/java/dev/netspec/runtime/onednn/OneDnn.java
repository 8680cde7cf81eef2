package dev.netspec.runtime.onednn;

import dev.netspec.runtime.onednn.OneDnnChoice.Setting;
import dev.netspec.runtime.onednn.OneDnnChoice.Source;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;

/**
 * Turns TensorFlow's oneDNN optimizations on or off for this process, by the {@link OneDnnPolicy
 * precedence}: what the user set, else what was measured on this CPU. On some CPUs oneDNN makes
 * inference twice as slow; on others it is the faster path.
 *
 * <p>TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once, when its native library loads, so
 * {@link #apply()} must run before that: {@code Model} calls it when its class initializes, and
 * the {@code ./netspec} launcher sets the variable before the JVM starts. Where TensorFlow loaded
 * first, or the variable cannot be set, one line says what to set. A measurement that fails
 * leaves TensorFlow's default, and says so.
 */
public final class OneDnn {
  private static final System.Logger LOG = System.getLogger("dev.netspec.runtime");
  private static OneDnnChoice applied;

  private OneDnn() {}

  /** Decides once per process and sets the variable where that still matters; the choice. */
  public static synchronized OneDnnChoice apply() {
    if (applied == null) {
      try {
        Map<String, String> environment = System.getenv();
        boolean loaded = NativeEnvironment.tensorFlowLoaded();
        OneDnnPolicy policy = new OneDnnPolicy(environment,
            System.getProperty(OneDnnPolicy.OVERRIDE_PROPERTY),
            OneDnnVerdictCache.ofProcess(environment), OneDnn::measure,
            warning -> LOG.log(Level.WARNING, warning));
        OneDnnChoice choice = policy.decide(!loaded);
        if (choice.source() == Source.FAILED && !environment.containsKey(
            OneDnnPolicy.LAUNCHER_VARIABLE)) { // the launcher has said so already
          LOG.log(Level.WARNING, "oneDNN: " + choice.describe() + "; TensorFlow's default applies");
        }
        applied = applied(choice, environment, loaded);
      } catch (RuntimeException | LinkageError e) { // a choice is never worth a failed start
        applied = OneDnnChoice.tensorFlowDefault(Source.FAILED, e.toString());
        LOG.log(Level.WARNING, "oneDNN: " + applied.describe() + "; TensorFlow's default applies");
      }
    }
    return applied;
  }

  /** {@code choice} as it holds for this process once set, or as advice where it cannot be. */
  private static OneDnnChoice applied(OneDnnChoice choice, Map<String, String> environment,
      boolean loaded) {
    Optional<String> value = choice.environmentValue();
    String variable = OneDnnPolicy.TENSORFLOW_VARIABLE;
    if (value.isEmpty() || value.equals(Optional.ofNullable(environment.get(variable)))) {
      return choice;
    }
    String reason;
    if (loaded) {
      reason = "TensorFlow loaded before netspec could set " + variable;
    } else {
      try {
        NativeEnvironment.set(variable, value.get());
        return choice;
      } catch (UnsupportedOperationException e) {
        reason = "cannot set " + variable + " in this process: " + e.getMessage();
      }
    }
    // TensorFlow 2.18 turns oneDNN on by itself on x86: only "off" needs the user's hand
    if (choice.setting() == Setting.OFF) {
      LOG.log(Level.WARNING, "oneDNN should be " + choice.describe() + ", but " + reason
          + ": start the JVM with " + variable + "=0 in its environment");
    }
    return new OneDnnChoice(Setting.DEFAULT, choice.source(), choice.measurement(),
        (choice.detail().isEmpty() ? "" : choice.detail() + "; ") + "not applied: " + reason);
  }

  private static OneDnnMeasurement measure() throws IOException, InterruptedException {
    LOG.log(Level.INFO, OneDnnMeasurer.ANNOUNCEMENT);
    OneDnnMeasurement measured = OneDnnMeasurer.ofProcess().measure();
    LOG.log(Level.INFO, "oneDNN " + (measured.favoursOn() ? "on" : "off") + " for "
        + CpuIdentity.ofThisMachine().describe() + ": " + measured.describe()
        + "; kept for later processes");
    return measured;
  }
}
