package dev.netspec.runtime.layers;

import dev.netspec.runtime.io.CacheFolder;
import dev.netspec.runtime.io.FingerprintedLines;
import dev.netspec.runtime.onednn.CpuIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.TensorFlow;

/**
 * {@link KernelCheck}'s verdicts kept on disk, so that a process does not verify again what an
 * earlier one verified on the same machine: one file per fingerprint of everything that decides
 * which kernel runs (the CPU's model and flags, TensorFlow's version, the oneDNN settings in the
 * environment). A verdict is deterministic for a fingerprint; a new CPU, TensorFlow or setting is
 * a new file, verified afresh.
 *
 * <p>The folder is the system property {@value #PROPERTY}, else the {@link CacheFolder}; {@code
 * -D}{@value #PROPERTY}{@code =off} verifies in every process. Each verdict is one appended line;
 * a line that does not parse (a torn write) is ignored, and a folder that cannot be written leaves
 * the check in memory only.
 */
final class VerdictCache {
  /** The system property naming the cache folder, or {@code off}. */
  static final String PROPERTY = "netspec.kernelCache";

  /** Bumped whenever a path or the check itself changes what a verdict means. */
  private static final String FORMAT = "netspec kernel verdicts 3";

  private final FingerprintedLines file;
  private final Map<KernelCheck.Key, KernelCheck.Verdict> known = new ConcurrentHashMap<>();

  private VerdictCache(FingerprintedLines file) {
    this.file = file;
    file.read().forEach(line -> parse(line).ifPresent(e -> known.put(e.key(), e.verdict())));
  }

  /** A cache that keeps nothing. */
  static VerdictCache none() {
    return new VerdictCache(FingerprintedLines.none());
  }

  /** The cache for this machine and TensorFlow, in {@code folder}, with what it already holds. */
  static VerdictCache in(Path folder) {
    return new VerdictCache(FingerprintedLines.in(folder, "kernel-verdicts", FORMAT,
        fingerprint()));
  }

  /** The cache the system property or the user's cache folder names, or none. */
  static VerdictCache ofProcess() {
    String chosen = System.getProperty(PROPERTY, "").trim();
    if (chosen.equalsIgnoreCase("off")) {
      return none();
    }
    return in(chosen.isEmpty() ? CacheFolder.ofProcess() : Path.of(chosen));
  }

  Optional<KernelCheck.Verdict> get(KernelCheck.Key key) {
    return Optional.ofNullable(known.get(key));
  }

  void put(KernelCheck.Key key, KernelCheck.Verdict verdict) {
    if (known.putIfAbsent(key, verdict) == null) {
      file.append(line(key, verdict));
    }
  }

  record Entry(KernelCheck.Key key, KernelCheck.Verdict verdict) {}

  /**
   * {@code in out groups kernel stride padding dilation gradients repad pinned device path
   * rejected… .}, tab-separated.
   */
  static String line(KernelCheck.Key key, KernelCheck.Verdict verdict) {
    ConvSpec s = key.spec();
    List<String> fields = new ArrayList<>(List.of(
        Integer.toString(s.inChannels()), Integer.toString(s.outChannels()),
        Integer.toString(s.groups()), Integer.toString(s.kernel()), Integer.toString(s.stride()),
        Integer.toString(s.padding()), Integer.toString(s.dilation()),
        Boolean.toString(key.gradients()), Boolean.toString(key.repad()),
        key.pinned().map(ConvPath::name).orElse("-"),
        key.device().isEmpty() ? "-" : key.device(), verdict.path().name()));
    verdict.rejected().forEach(r -> fields.add(r.replaceAll("[\\t\\r\\n]", " ")));
    // the end marker tells a whole line from a torn one
    fields.add(".");
    return String.join("\t", fields);
  }

  static Optional<Entry> parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length < 13 || !f[f.length - 1].equals(".")) {
      return Optional.empty();
    }
    try {
      ConvSpec spec = new ConvSpec(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
          Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
          Integer.parseInt(f[5]), Integer.parseInt(f[6]));
      boolean gradients = Boolean.parseBoolean(f[7]);
      KernelCheck.Key key = new KernelCheck.Key(spec, gradients, Boolean.parseBoolean(f[8]),
          f[9].equals("-") ? Optional.empty() : Optional.of(ConvPath.valueOf(f[9])),
          f[10].equals("-") ? "" : f[10]);
      List<String> rejected = List.of(Arrays.copyOfRange(f, 12, f.length - 1));
      return Optional.of(new Entry(key,
          new KernelCheck.Verdict(spec, gradients, ConvPath.valueOf(f[11]), rejected)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Everything that decides which convolution kernels this process runs. */
  static String fingerprint() {
    StringBuilder s = new StringBuilder();
    s.append("tensorflow ").append(TensorFlow.version()).append('\n');
    s.append("os ").append(System.getProperty("os.name")).append(' ')
        .append(System.getProperty("os.arch")).append('\n');
    for (String variable : List.of("TF_ENABLE_ONEDNN_OPTS", "ONEDNN_MAX_CPU_ISA",
        "DNNL_MAX_CPU_ISA", "ONEDNN_DEFAULT_FPMATH_MODE", "CUDA_VISIBLE_DEVICES")) {
      s.append(variable).append('=').append(String.valueOf(System.getenv(variable))).append('\n');
    }
    s.append(CpuIdentity.ofThisMachine().fingerprint()).append('\n');
    return s.toString();
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
