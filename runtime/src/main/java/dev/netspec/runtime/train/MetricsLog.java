package dev.netspec.runtime.train;

import dev.netspec.runtime.io.AtomicFiles;
import dev.netspec.runtime.io.FaultInjection;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's metrics as CSV, one row per logging interval of training and one per validation:
 * {@code epoch,step,phase,learning_rate,loss,top1,top5,images_per_second,seconds}. {@code epoch}
 * is fractional for training rows (2.5 = half-way through the third epoch); an empty cell is a
 * value not measured.
 *
 * <p>Rows are appended, each ending in a newline; a last line without one is what a process
 * killed while appending left, and reading drops it.
 */
public final class MetricsLog {
  public static final String HEADER =
      "epoch,step,phase,learning_rate,loss,top1,top5,images_per_second,seconds";

  /** One row. NaN = not measured. */
  public record Row(double epoch, long step, String phase, double learningRate, double loss,
      double top1, double top5, double imagesPerSecond, double seconds) {

    String csv() {
      return String.join(",", number(epoch), Long.toString(step), phase, number(learningRate),
          number(loss), number(top1), number(top5), number(imagesPerSecond), number(seconds));
    }

    static Row parse(String line) {
      String[] cells = line.split(",", -1);
      if (cells.length != 9) {
        throw new IllegalArgumentException("a metrics row has 9 cells, got " + cells.length + ": "
            + line);
      }
      return new Row(value(cells[0]), Long.parseLong(cells[1]), cells[2], value(cells[3]),
          value(cells[4]), value(cells[5]), value(cells[6]), value(cells[7]), value(cells[8]));
    }
  }

  private final Path file;

  private MetricsLog(Path file) {
    this.file = file;
  }

  /** A new log (replacing any file there). */
  public static MetricsLog create(Path file) throws IOException {
    AtomicFiles.write(file, t -> Files.writeString(t, HEADER + "\n", StandardCharsets.UTF_8));
    return new MetricsLog(file);
  }

  /**
   * The log of a resumed run: rows after {@code step} (written after the checkpoint resumed from)
   * and a torn last row are dropped; a missing file starts afresh.
   */
  public static MetricsLog resume(Path file, long step) throws IOException {
    if (!Files.exists(file)) {
      return create(file);
    }
    List<Row> kept = new ArrayList<>();
    for (Row row : read(file)) {
      if (row.step() <= step) {
        kept.add(row);
      }
    }
    AtomicFiles.write(file, t -> {
      try (BufferedWriter out = Files.newBufferedWriter(t, StandardCharsets.UTF_8)) {
        out.write(HEADER + "\n");
        for (Row row : kept) {
          out.write(row.csv() + "\n");
        }
      }
    });
    return new MetricsLog(file);
  }

  /** Whether the log has the validation row of {@code epoch}. */
  public boolean hasValidation(int epoch) throws IOException {
    return read(file).stream().anyMatch(r -> r.phase().equals("val") && r.epoch() == epoch);
  }

  /** Appends a row and flushes it to disk. */
  public void append(Row row) {
    String line = row.csv() + "\n";
    try {
      FaultInjection.reach("torn:" + row.phase() + "-row", () -> Files.writeString(file,
          line.substring(0, line.length() / 2), StandardCharsets.UTF_8, StandardOpenOption.APPEND));
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Every complete row of a metrics file (a torn last one left out). */
  public static List<Row> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    if (!text.startsWith(HEADER + "\n")) {
      throw new IllegalArgumentException(file + " is not a netspec metrics file (its first line "
          + "should be " + HEADER + ")");
    }
    // only what ends in a newline was appended in full
    String complete = text.substring(HEADER.length() + 1, text.lastIndexOf('\n') + 1);
    List<Row> rows = new ArrayList<>();
    for (String line : complete.split("\n")) {
      if (!line.isBlank()) {
        rows.add(Row.parse(line));
      }
    }
    return rows;
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static double value(String cell) {
    return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
  }
}
