package dev.netspec.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.engine.EngineTimings.Key;
import dev.netspec.runtime.engine.EngineTimings.Timing;
import dev.netspec.runtime.io.FingerprintedLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine timings kept on disk serve later processes with the same fingerprint, and no other. */
class EngineTimingsTest {
  private static final Key KEY = new Key("dev.example.Net", 224, 224, 8, 2, "on");

  private static EngineTimings in(Path folder, String fingerprint) {
    return new EngineTimings(FingerprintedLines.in(folder, "engine-timings", "test 1",
        fingerprint));
  }

  @Test
  void aLaterProcessReadsWhatAnEarlierOneTimed(@TempDir Path folder) {
    in(folder, "cpu a").put(KEY, new Timing(45.25, 31.5));
    assertEquals(Optional.of(new Timing(45.25, 31.5)), in(folder, "cpu a").get(KEY));
    assertEquals(Optional.empty(), in(folder, "cpu a").get(new Key("dev.example.Net", 224, 224, 1,
        2, "on")), "another batch size is timed afresh");
    assertEquals(Optional.empty(), in(folder, "cpu b").get(KEY), "another CPU is timed afresh");
  }

  @Test
  void tornAndForeignLinesAreSkipped(@TempDir Path folder) throws IOException {
    in(folder, "cpu").put(KEY, new Timing(1, 2));
    Path file;
    try (var files = Files.list(folder)) {
      file = files.findFirst().orElseThrow();
    }
    Key other = new Key("dev.example.Other", 32, 32, 1, 0, "off");
    String whole = EngineTimings.line(other, new Timing(3, 4));
    Files.writeString(file, whole.substring(0, whole.length() - 2) + "\nnot a timing\n"
        + whole.replace("\t3.0000", "\t-3.0000") + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    EngineTimings later = in(folder, "cpu");
    assertEquals(Optional.of(new Timing(1, 2)), later.get(KEY));
    assertEquals(Optional.empty(), later.get(other));
    assertTrue(EngineTimings.parse(whole).isPresent());
  }

  @Test
  void aFolderThatCannotBeWrittenKeepsTheTimingsInMemory(@TempDir Path folder)
      throws IOException {
    Path notAFolder = Files.writeString(folder.resolve("file"), "x");
    EngineTimings timings = in(notAFolder, "cpu");
    timings.put(KEY, new Timing(1, 2));
    assertEquals(Optional.of(new Timing(1, 2)), timings.get(KEY));
  }
}
