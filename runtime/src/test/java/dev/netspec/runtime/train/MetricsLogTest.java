package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics log survives a process killed while appending to it. */
class MetricsLogTest {
  @TempDir Path temp;

  private static MetricsLog.Row train(long step) {
    return new MetricsLog.Row(step / 10.0, step, "train", 0.1, 2.0, 0.25, Double.NaN, 100, 1);
  }

  @Test
  void aTornLastRowIsDroppedOnReadingAndResuming() throws Exception {
    Path file = temp.resolve("metrics.csv");
    MetricsLog log = MetricsLog.create(file);
    log.append(train(1));
    log.append(train(2));
    log.append(new MetricsLog.Row(1, 2, "val", 0.1, 1.5, 0.5, 0.9, Double.NaN, 2));
    String torn = train(3).csv();
    Files.writeString(file, torn.substring(0, torn.length() / 2), StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    assertEquals(3, MetricsLog.read(file).size(), "the torn row is not a row");
    MetricsLog resumed = MetricsLog.resume(file, 2);
    assertTrue(resumed.hasValidation(1));
    assertFalse(resumed.hasValidation(2));
    resumed.append(train(3));
    List<MetricsLog.Row> rows = MetricsLog.read(file);
    assertEquals(List.of(1L, 2L, 2L, 3L), rows.stream().map(MetricsLog.Row::step).toList());
    assertEquals(MetricsLog.HEADER + "\n" + train(1).csv() + "\n" + train(2).csv() + "\n"
        + rows.get(2).csv() + "\n" + train(3).csv() + "\n", Files.readString(file));

    // as an editor on Windows saves it
    Files.writeString(file, Files.readString(file).replace("\n", "\r\n"));
    assertEquals(rows, MetricsLog.read(file));
  }
}
