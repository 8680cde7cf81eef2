package dev.netspec.runtime.onednn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Times {@link OneDnnBenchmark} in two child JVMs, one with {@code TF_ENABLE_ONEDNN_OPTS=1}, one
 * with {@code 0}: TensorFlow reads the variable once, when its library loads, so one process can
 * time only one setting. The children run one after the other on this JVM's class path.
 */
final class OneDnnMeasurer implements OneDnnPolicy.Measurer {
  /** What a process says before it measures. */
  static final String ANNOUNCEMENT =
      "timing TensorFlow with oneDNN on and off on this CPU, once (a few seconds)";

  /** Far above the few seconds a child takes: only a child that hangs meets it. */
  private static final long TIMEOUT_SECONDS = 120;

  private final Path java;
  private final String classPath;
  private final Map<String, String> environment;

  /**
   * @param environment the children's environment, less the oneDNN variables set here
   */
  OneDnnMeasurer(Path java, String classPath, Map<String, String> environment) {
    this.java = java;
    this.classPath = classPath;
    this.environment = environment;
  }

  /** Children of this JVM: its {@code java}, class path and environment. */
  static OneDnnMeasurer ofProcess() {
    return new OneDnnMeasurer(Path.of(System.getProperty("java.home"), "bin", "java"),
        System.getProperty("java.class.path"), System.getenv());
  }

  @Override
  public OneDnnMeasurement measure() throws IOException, InterruptedException {
    double on = time(true);
    double off = time(false);
    return new OneDnnMeasurement(on, off);
  }

  private double time(boolean oneDnn) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-cp", classPath,
        OneDnnBenchmark.class.getName()));
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(environment);
    env.remove(OneDnnPolicy.LAUNCHER_VARIABLE);
    env.put(OneDnnPolicy.TENSORFLOW_VARIABLE, oneDnn ? "1" : "0");
    env.putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process child = builder.start();
    child.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(child.getErrorStream()));
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(child.getInputStream()));
    String setting = "oneDNN " + (oneDnn ? "on" : "off");
    try {
      if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the benchmark with " + setting + " ran past " + TIMEOUT_SECONDS
            + " s");
      }
      String output = out.get(10, TimeUnit.SECONDS);
      if (child.exitValue() != 0) {
        throw new IOException("the benchmark with " + setting + " exited with "
            + child.exitValue() + ": " + lastLine(err.get(10, TimeUnit.SECONDS)));
      }
      return OneDnnBenchmark.parse(output);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot read the benchmark with " + setting + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IOException("the benchmark with " + setting + " printed no timing", e);
    } finally {
      child.destroyForcibly();
    }
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return bytes.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last line on stderr that is not a stack frame: the exception or the message. */
  private static String lastLine(String text) {
    List<String> lines = text.lines()
        .filter(l -> !l.isBlank() && !l.strip().startsWith("at ") && !l.strip().startsWith("..."))
        .toList();
    return lines.isEmpty() ? "(nothing on stderr)" : lines.get(lines.size() - 1).strip();
  }
}
