package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netspec.examples.zoo.Zoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code netspec parity} against real PyTorch for every zoo family: reference files too large
 * to ship are written here by {@code reference/parity_reference.py} with Debian's PyTorch
 * ({@code /usr/bin/python3}; skipped, with the reason, where it is missing), into {@code
 * target/parity/}, once: a file newer than the scripts is reused. The weights are stored as
 * F32, F16 or BF16 (rounded before PyTorch computes the output), so every float type is read.
 */
class PyTorchParityTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path REFERENCE = Path.of("..", "reference");
  private static final Path OUT = Path.of("target", "parity");
  private static final long GENERATE_MINUTES = 15;

  /** Zoo name → the dtype its weights are stored in. */
  private static final Map<String, String> CASES = new LinkedHashMap<>();

  static {
    CASES.put("resnet50", "F32");
    CASES.put("densenet121", "BF16");
    CASES.put("densenet121_face", "F32");
    CASES.put("densenet121_face_prelu", "F16");
    CASES.put("dpn92", "F16");
    CASES.put("seresnet50", "F32");
    CASES.put("sknet50", "F16");
    CASES.put("resnest50", "BF16");
    CASES.put("se_dpn92", "F32");
    CASES.put("senet18", "F16");
  }

  private static String unavailable;

  static Stream<String> networks() {
    return CASES.keySet().stream();
  }

  @BeforeAll
  static void writeReferenceFiles() throws IOException, InterruptedException {
    unavailable = torchMissing();
    if (unavailable != null) {
      return;
    }
    Files.createDirectories(OUT);
    FileTime scripts = newest(REFERENCE);
    Map<String, List<String>> stale = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : CASES.entrySet()) {
      Path file = file(c.getKey());
      boolean fresh = Files.exists(file)
          && Files.getLastModifiedTime(file).compareTo(scripts) > 0;
      if (Zoo.names().contains(c.getKey()) && !fresh) {
        stale.computeIfAbsent(c.getValue(), d -> new ArrayList<>()).add(c.getKey());
      }
    }
    for (Map.Entry<String, List<String>> batch : stale.entrySet()) {
      List<String> command = new ArrayList<>(List.of(PYTHON.toString(),
          REFERENCE.resolve("parity_reference.py").toString(), "--out", OUT.toString(),
          "--dtype", batch.getKey()));
      command.addAll(batch.getValue());
      Path log = OUT.resolve("generate-" + batch.getKey() + ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(GENERATE_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("parity_reference.py ran over " + GENERATE_MINUTES + " minutes; see " + log);
      }
      if (process.exitValue() != 0) {
        fail("parity_reference.py failed (" + process.exitValue() + "):\n"
            + Files.readString(log));
      }
    }
  }

  /** Why PyTorch cannot write the reference files here, or null when it can. */
  private static String torchMissing() throws InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      return PYTHON + " is missing: install python3-torch and python3-torchvision";
    }
    try {
      Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch, torchvision")
          .redirectErrorStream(true).start();
      String output = new String(probe.getInputStream().readAllBytes());
      if (!probe.waitFor(2, TimeUnit.MINUTES) || probe.exitValue() != 0) {
        return PYTHON + " cannot import torch and torchvision (apt-get install python3-torch"
            + " python3-torchvision): " + output.strip();
      }
    } catch (IOException e) {
      return "cannot run " + PYTHON + ": " + e.getMessage();
    }
    return null;
  }

  private static FileTime newest(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".py")).map(p -> {
        try {
          return Files.getLastModifiedTime(p);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).max(FileTime::compareTo).orElseThrow();
    }
  }

  private static Path file(String network) {
    return OUT.resolve(network + ".safetensors");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void equalsPyTorch(String network) {
    Assumptions.assumeTrue(unavailable == null, () -> "no PyTorch reference: " + unavailable);
    Assumptions.assumeTrue(Zoo.names().contains(network),
        () -> network + " is not in the zoo yet");
    ParityCommandTest.Run run = ParityCommandTest.run("parity", network,
        file(network).toString(), "--max-rel-err", "1e-4");
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.maxRelErr() <= 1e-4, run.out());
    System.out.println(network + " (" + CASES.get(network) + "): " + run.last());
  }
}
