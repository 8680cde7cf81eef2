package dev.netspec.runtime.engine;

import dev.netspec.runtime.io.CacheFolder;
import dev.netspec.runtime.io.FingerprintedLines;
import dev.netspec.runtime.onednn.CpuIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.TensorFlow;

/**
 * The two engines' timings of each network, image size, batch size, thread count and oneDNN
 * setting, kept per CPU and per version of TensorFlow and ONNX Runtime (a {@link
 * FingerprintedLines} file in the {@link CacheFolder}), so that {@link Engine#AUTO} times a
 * network once per machine rather than once per process.
 */
final class EngineTimings {
  /** Bumped whenever the timing changes what its numbers mean. */
  private static final String FORMAT = "netspec engine timings 1";

  /** What decides the two engines' speed on one machine. */
  record Key(String network, long height, long width, long batch, int threads, String oneDnn) {
    Key {
      if (network.isBlank() || network.matches(".*\\s.*") || oneDnn.matches(".*\\s.*")) {
        throw new IllegalArgumentException("network and oneDNN setting are single words: "
            + network + ", " + oneDnn);
      }
    }
  }

  /** Median milliseconds of one run on each engine. */
  record Timing(double tensorFlowMillis, double onnxRuntimeMillis) {}

  private final FingerprintedLines file;
  private final Map<Key, Timing> known = new ConcurrentHashMap<>();

  EngineTimings(FingerprintedLines file) {
    this.file = file;
    file.read().forEach(line -> parse(line).ifPresent(e -> known.put(e.getKey(), e.getValue())));
  }

  /** The timings of this CPU and these libraries, in {@code folder}. */
  static EngineTimings in(Path folder) {
    String fingerprint = "tensorflow " + TensorFlow.version() + "\nonnxruntime "
        + OnnxRuntimeEngine.version() + "\nos " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + "\n" + CpuIdentity.ofThisMachine().fingerprint();
    return new EngineTimings(FingerprintedLines.in(folder, "engine-timings", FORMAT,
        fingerprint));
  }

  /** The timings in the user's cache folder. */
  static EngineTimings ofProcess() {
    return in(CacheFolder.ofProcess());
  }

  Optional<Timing> get(Key key) {
    return Optional.ofNullable(known.get(key));
  }

  void put(Key key, Timing timing) {
    known.put(key, timing);
    file.append(line(key, timing));
  }

  /** Tab-separated key and timing, ending in {@code .} so that a torn line shows. */
  static String line(Key key, Timing timing) {
    return String.join("\t", key.network(), Long.toString(key.height()),
        Long.toString(key.width()), Long.toString(key.batch()), Integer.toString(key.threads()),
        key.oneDnn(), String.format(Locale.ROOT, "%.4f", timing.tensorFlowMillis()),
        String.format(Locale.ROOT, "%.4f", timing.onnxRuntimeMillis()), ".");
  }

  static Optional<Map.Entry<Key, Timing>> parse(String line) {
    List<String> f = List.of(line.split("\t", -1));
    if (f.size() != 9 || !f.get(8).equals(".")) {
      return Optional.empty();
    }
    try {
      Key key = new Key(f.get(0), Long.parseLong(f.get(1)), Long.parseLong(f.get(2)),
          Long.parseLong(f.get(3)), Integer.parseInt(f.get(4)), f.get(5));
      Timing timing = new Timing(Double.parseDouble(f.get(6)), Double.parseDouble(f.get(7)));
      if (!(timing.tensorFlowMillis() >= 0 && timing.onnxRuntimeMillis() >= 0)) {
        return Optional.empty();
      }
      return Optional.of(Map.entry(key, timing));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
