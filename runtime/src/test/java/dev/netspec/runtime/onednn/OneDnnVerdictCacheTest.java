package dev.netspec.runtime.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-CPU file of oneDNN timings: what keys it, what it gives back, what it ignores. */
class OneDnnVerdictCacheTest {
  private static final String CPUINFO = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      cpu family\t: 26
      model\t\t: 2
      model name\t: AMD EPYC 9B45
      stepping\t: 1
      microcode\t: 0xffffffff
      cpu MHz\t\t: 2600.000
      flags\t\t: fpu sse2 avx2 avx512f avx512_bf16

      processor\t: 1
      vendor_id\t: AuthenticAMD
      cpu family\t: 26
      model\t\t: 3
      """;

  @TempDir Path folder;

  private CpuIdentity cpu(String cpuinfo) throws Exception {
    Path file = folder.resolve("cpuinfo-" + cpuinfo.hashCode());
    Files.writeString(file, cpuinfo);
    return CpuIdentity.read(file);
  }

  @Test
  void theFingerprintHasTheFirstProcessorsIdentityAndTheTensorFlowVersion() throws Exception {
    String fingerprint = OneDnnVerdictCache.fingerprint(cpu(CPUINFO), "1.1.0");
    assertTrue(fingerprint.contains("tensorflow-java 1.1.0\n"), fingerprint);
    assertTrue(fingerprint.endsWith("vendor_id: AuthenticAMD\ncpu family: 26\nmodel: 2\n"
        + "model name: AMD EPYC 9B45\nstepping: 1\nflags: fpu sse2 avx2 avx512f avx512_bf16"),
        fingerprint);
    assertEquals("AMD EPYC 9B45 (AuthenticAMD family 26 model 2 stepping 1)",
        cpu(CPUINFO).describe());
  }

  @Test
  void aMissingCpuinfoIsAnUnknownCpu() {
    CpuIdentity none = CpuIdentity.read(folder.resolve("absent"));
    assertEquals("cpu unknown", none.fingerprint());
    assertEquals("an unknown CPU", none.describe());
  }

  @Test
  void theVersionIsReadFromTheClassPathWithoutLoadingTensorFlow() {
    assertTrue(OneDnnVerdictCache.tensorFlowJavaVersion().matches("\\d+\\.\\d+\\.\\d+.*"),
        OneDnnVerdictCache.tensorFlowJavaVersion());
  }

  @Test
  void aMeasurementIsReadBackForItsFingerprintOnly() throws Exception {
    String amd = OneDnnVerdictCache.fingerprint(cpu(CPUINFO), "1.1.0");
    OneDnnVerdictCache cache = new OneDnnVerdictCache(folder, amd);
    assertEquals(Optional.empty(), cache.read());
    cache.write(new OneDnnMeasurement(90.5, 45.25));
    assertEquals(Optional.of(new OneDnnMeasurement(90.5, 45.25)),
        new OneDnnVerdictCache(folder, amd).read());

    Map<String, String> steppingTwo = new LinkedHashMap<>(cpu(CPUINFO).fields());
    steppingTwo.put("stepping", "2");
    for (String other : new String[] {OneDnnVerdictCache.fingerprint(cpu(CPUINFO), "1.2.0"),
        OneDnnVerdictCache.fingerprint(new CpuIdentity(steppingTwo), "1.1.0")}) {
      OneDnnVerdictCache elsewhere = new OneDnnVerdictCache(folder, other);
      assertNotEquals(cache.file(), elsewhere.file());
      assertEquals(Optional.empty(), elsewhere.read());
    }
  }

  @Test
  void aCorruptOrForeignFileIsIgnoredAndReplaced() throws Exception {
    String fingerprint = OneDnnVerdictCache.fingerprint(cpu(CPUINFO), "1.1.0");
    OneDnnVerdictCache cache = new OneDnnVerdictCache(folder, fingerprint);
    cache.write(new OneDnnMeasurement(9.5, 18.5));
    String whole = Files.readString(cache.file());
    for (String broken : new String[] {
        whole.substring(0, whole.indexOf("on_ms")), // torn before the last line
        whole.replace("on_ms=9.5", "on_ms=fast"),
        whole.replace("off_ms=18.5", "off_ms=-1"),
        whole.replace("model\\: 2", "model\\: 5"), // a file whose name collided
        "\u0000\u0001 not properties \\u12"}) {
      Files.writeString(cache.file(), broken);
      assertEquals(Optional.empty(), cache.read(), broken);
    }
    cache.write(new OneDnnMeasurement(9.5, 18.5));
    assertEquals(Optional.of(new OneDnnMeasurement(9.5, 18.5)), cache.read());
    try (var files = Files.list(folder)) {
      assertTrue(files.noneMatch(f -> f.toString().endsWith(".part")), "no partial file is left");
    }
  }
}
