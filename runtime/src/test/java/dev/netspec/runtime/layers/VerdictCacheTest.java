package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verdicts kept on disk serve a later process on the same machine, and nothing else. */
class VerdictCacheTest {
  private static final ConvSpec SPEC = new ConvSpec(6, 3, 3, 1, 1, 0, 1);

  private static KernelCheck counting(Path folder, AtomicInteger builds) {
    return new KernelCheck((tf, x, filter, spec, path, repad) -> {
      builds.incrementAndGet();
      return new Convolution(tf).build(x, filter, spec, path, repad);
    }, VerdictCache.in(folder));
  }

  @Test
  void aLaterProcessReusesTheVerdicts(@TempDir Path folder) {
    AtomicInteger builds = new AtomicInteger();
    ConvPath first = counting(folder, builds).path(SPEC, true, false);
    int verifying = builds.get();
    assertTrue(verifying >= 1);
    KernelCheck later = counting(folder, builds);
    assertEquals(first, later.path(SPEC, true, false));
    assertEquals(verifying, builds.get(), "nothing built again");
    assertTrue(later.describe().startsWith("1 convolution configurations: 0 verified against the"
        + " reference in 0 ms, 1 known from " + folder), later.describe());
    // another configuration is verified
    later.path(new ConvSpec(4, 4, 1, 3, 1, 1, 1), false, false);
    assertTrue(builds.get() > verifying);
  }

  @Test
  void fallbacksAndTheirReasonsSurviveTheRoundTrip() {
    KernelCheck.Key key = new KernelCheck.Key(SPEC, true, false, Optional.empty(), "");
    KernelCheck.Verdict verdict = new KernelCheck.Verdict(SPEC, true, ConvPath.SPLIT,
        List.of("native: output off by 0.98 of its largest value", "x\ty"));
    String line = VerdictCache.line(key, verdict);
    KernelCheck.Verdict back = VerdictCache.parse(line.strip()).orElseThrow().verdict();
    assertEquals(ConvPath.SPLIT, back.path());
    assertEquals(List.of("native: output off by 0.98 of its largest value", "x y"),
        back.rejected());
    assertEquals(key, VerdictCache.parse(line.strip()).orElseThrow().key());
    KernelCheck.Key onGpu = new KernelCheck.Key(SPEC, true, false, Optional.of(ConvPath.NATIVE),
        "/device:GPU:0");
    assertEquals(onGpu, VerdictCache.parse(VerdictCache.line(onGpu, verdict).strip())
        .orElseThrow().key());
  }

  @Test
  void tornAndForeignLinesAreIgnored(@TempDir Path folder) throws IOException {
    AtomicInteger builds = new AtomicInteger();
    counting(folder, builds).path(SPEC, true, false);
    Path file;
    try (var files = Files.list(folder)) {
      file = files.findFirst().orElseThrow();
    }
    String whole = VerdictCache.line(
        new KernelCheck.Key(SPEC, false, false, Optional.empty(), "/device:CPU:*"),
        new KernelCheck.Verdict(SPEC, false, ConvPath.TAPS, List.of()));
    // a torn copy of a line for a configuration not yet verified, and garbage
    Files.writeString(file, whole.substring(0, whole.length() - 3) + "\nnot a verdict\n",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    int before = builds.get();
    KernelCheck later = counting(folder, builds);
    later.path(SPEC, true, false);
    assertEquals(before, builds.get(), "the whole line is still read");
    later.path(SPEC, false, false, "/device:CPU:*");
    assertTrue(builds.get() > before, "the torn verdict is verified afresh");
  }

  @Test
  void anotherMachineOrTensorFlowIsAnotherFile(@TempDir Path folder) throws IOException {
    String fingerprint = VerdictCache.fingerprint();
    assertTrue(fingerprint.contains("tensorflow "), fingerprint);
    assertTrue(fingerprint.contains("TF_ENABLE_ONEDNN_OPTS="), fingerprint);
    counting(folder, new AtomicInteger()).path(SPEC, false, false);
    try (var files = Files.list(folder)) {
      Path file = files.findFirst().orElseThrow();
      assertTrue(file.getFileName().toString().matches("kernel-verdicts-[0-9a-f]{16}\\.tsv"));
      List<String> lines = Files.readAllLines(file);
      assertEquals("# netspec kernel verdicts 3", lines.get(0));
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("# tensorflow ")), lines.toString());
    }
  }
}
