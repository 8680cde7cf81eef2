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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code netspec parity} against real PyTorch for every zoo family. The reference files, too
 * large to ship, are written by {@code reference/parity_reference.py} with Debian's PyTorch
 * ({@code /usr/bin/python3}; the tests are skipped, saying why, where it is missing) into {@code
 * target/parity/}: one Python process writes them in the order the tests use them while the
 * tests run, and a file newer than the scripts is reused. Weights are stored as F32, F16 or BF16
 * (rounded before PyTorch computes the output), so every float type is read.
 */
class PyTorchParityTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path REFERENCE = Path.of("..", "reference");
  private static final Path OUT = Path.of("target", "parity");
  private static final Path LOG = OUT.resolve("parity_reference.log");
  private static final long MINUTES_PER_FILE = 5;

  /** Zoo name → the dtype its weights are stored in, in test order. */
  private static final Map<String, String> CASES = new LinkedHashMap<>();

  static {
    CASES.put("resnet50", "F32");
    CASES.put("densenet121", "BF16");
    CASES.put("dpn92", "F16");
    CASES.put("seresnet50", "F32");
    CASES.put("sknet50", "F16");
    CASES.put("resnest50", "BF16");
    CASES.put("senet18", "F16");
    CASES.put("densenet121_sk", "F32");
    CASES.put("densenet121_face", "F32");
    CASES.put("densenet121_face_prelu", "F16");
    CASES.put("mobilenet_v2", "F32");
    CASES.put("mobilenet_v3_large", "F16");
    CASES.put("efficientnet_b0", "BF16");
    CASES.put("convnext_tiny", "F32");
    CASES.put("regnet_y_400mf", "F16");
    CASES.put("dpn68", "F32");
  }

  private static String unavailable;
  private static Process writer;

  static Stream<String> networks() {
    return CASES.keySet().stream();
  }

  @BeforeAll
  static void startWritingReferenceFiles() throws IOException, InterruptedException {
    unavailable = torchMissing();
    if (unavailable != null) {
      return;
    }
    Files.createDirectories(OUT);
    FileTime scripts = newest(REFERENCE);
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(),
        REFERENCE.resolve("parity_reference.py").toString(), "--out", OUT.toString()));
    for (Map.Entry<String, String> c : CASES.entrySet()) {
      Path file = file(c.getKey());
      boolean fresh = Files.exists(file)
          && Files.getLastModifiedTime(file).compareTo(scripts) > 0;
      if (Zoo.names().contains(c.getKey()) && !fresh) {
        Files.deleteIfExists(file);
        command.add(c.getKey() + ":" + c.getValue());
      }
    }
    if (command.size() > 4) {
      writer = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(LOG.toFile()).start();
    }
  }

  @AfterAll
  static void stopWriting() throws InterruptedException {
    if (writer != null && !writer.waitFor(1, TimeUnit.SECONDS)) {
      writer.destroyForcibly().waitFor();
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

  /** Waits until the writer has renamed {@code file} into place (or has failed). */
  private static void awaitFile(Path file) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MINUTES_PER_FILE);
    while (!Files.exists(file)) {
      if (writer == null || !writer.isAlive() && !Files.exists(file)) {
        fail("parity_reference.py did not write " + file + (writer == null ? ""
            : " (exit " + writer.exitValue() + "):\n" + Files.readString(LOG)));
      }
      if (System.nanoTime() > deadline) {
        fail("parity_reference.py took over " + MINUTES_PER_FILE + " minutes for " + file);
      }
      Thread.sleep(200);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void equalsPyTorch(String network) throws InterruptedException, IOException {
    Assumptions.assumeTrue(unavailable == null, () -> "no PyTorch reference: " + unavailable);
    Assumptions.assumeTrue(Zoo.names().contains(network),
        () -> network + " is not in the zoo yet");
    awaitFile(file(network));
    ParityCommandTest.Run run = ParityCommandTest.run("parity", network,
        file(network).toString(), "--max-rel-err", "1e-4");
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.maxRelErr() <= 1e-4, run.out());
    System.out.println(network + " (" + CASES.get(network) + "): " + run.last());
  }
}
