package dev.netspec.runtime.onednn;

import dev.netspec.runtime.onednn.OneDnnChoice.Source;
import java.util.Map;

/**
 * What the {@code ./netspec} launcher runs before it starts the JVM that loads TensorFlow: the
 * {@link OneDnnPolicy choice} for this process's environment, measured if nothing decides it,
 * printed as {@link OneDnnChoice#toLine() one line} on stdout; what it measured, or why it could
 * not, on stderr. It never loads TensorFlow itself.
 */
public final class OneDnnProbe {
  private OneDnnProbe() {}

  public static void main(String[] args) {
    Map<String, String> environment = System.getenv();
    OneDnnChoice choice = new OneDnnPolicy(environment,
        System.getProperty(OneDnnPolicy.OVERRIDE_PROPERTY),
        OneDnnVerdictCache.ofProcess(environment), () -> {
          System.err.println("netspec: " + OneDnnMeasurer.ANNOUNCEMENT + " ...");
          return OneDnnMeasurer.ofProcess().measure();
        }, warning -> System.err.println("netspec: " + warning)).decide(true);
    if (choice.source() == Source.MEASURED || choice.source() == Source.FAILED) {
      System.err.println("netspec: oneDNN " + choice.describe() + " on "
          + CpuIdentity.ofThisMachine().describe());
    }
    System.out.println(choice.toLine());
  }
}
