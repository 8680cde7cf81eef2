package dev.netspec.runtime.onednn;

import dev.netspec.runtime.io.CacheFolder;
import dev.netspec.runtime.io.FingerprintedLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link OneDnnMeasurement}s kept on disk, one small file per fingerprint of what decides the
 * timings: the CPU's identity and flags and TensorFlow Java's version. The version is read from
 * the class path, since asking TensorFlow would load the library whose settings this decides.
 *
 * <p>The folder is the {@link CacheFolder}. A file that does not parse or holds another
 * fingerprint is ignored and, once measured again, replaced.
 */
final class OneDnnVerdictCache {
  /** Bumped whenever the benchmark changes what its timings mean. */
  static final String FORMAT = "netspec onednn verdict 1";

  private final Path file;
  private final String fingerprint;

  OneDnnVerdictCache(Path folder, String fingerprint) {
    this.fingerprint = fingerprint;
    this.file = folder.resolve(FingerprintedLines.fileName("onednn", fingerprint, "properties"));
  }

  /** The cache for this CPU and TensorFlow in the user's cache folder. */
  static OneDnnVerdictCache ofProcess(Map<String, String> environment) {
    return new OneDnnVerdictCache(folder(environment),
        fingerprint(CpuIdentity.ofThisMachine(), tensorFlowJavaVersion()));
  }

  static Path folder(Map<String, String> environment) {
    return CacheFolder.of(environment);
  }

  static String fingerprint(CpuIdentity cpu, String tensorFlowJava) {
    return FORMAT + "\ntensorflow-java " + tensorFlowJava + "\nos " + System.getProperty("os.name")
        + " " + System.getProperty("os.arch") + "\n" + cpu.fingerprint();
  }

  /** TensorFlow Java's version as its jar's Maven metadata says, without loading TensorFlow. */
  static String tensorFlowJavaVersion() {
    String resource = "META-INF/maven/org.tensorflow/tensorflow-core-api/pom.properties";
    ClassLoader loader = OneDnnVerdictCache.class.getClassLoader();
    try (InputStream in = loader == null ? null : loader.getResourceAsStream(resource)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "unknown");
      }
    } catch (IOException | IllegalArgumentException e) {
      // an unreadable version is a version of its own
    }
    return "unknown";
  }

  Path file() {
    return file;
  }

  /** The measurement kept for this fingerprint, if a whole one is there. */
  Optional<OneDnnMeasurement> read() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      if (!fingerprint.equals(p.getProperty("fingerprint"))) {
        return Optional.empty();
      }
      return Optional.of(new OneDnnMeasurement(Double.parseDouble(p.getProperty("on_ms")),
          Double.parseDouble(p.getProperty("off_ms"))));
    } catch (IOException | RuntimeException e) { // torn, edited or foreign: measure again
      return Optional.empty();
    }
  }

  /** Keeps {@code measurement}; a folder that cannot be written keeps nothing. */
  void write(OneDnnMeasurement measurement) throws IOException {
    Properties p = new Properties();
    p.setProperty("fingerprint", fingerprint);
    p.setProperty("on_ms", Double.toString(measurement.onMillis()));
    p.setProperty("off_ms", Double.toString(measurement.offMillis()));
    Files.createDirectories(file.getParent());
    Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
    try {
      try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        p.store(out, "TensorFlow's oneDNN on and off, timed on this CPU");
      }
      // readers see the old file or the new one, never half of one
      try {
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
