package dev.netspec.examples.cli;

import java.util.List;

/** Plain-text tables with aligned columns, for terminal output. */
final class Tables {
  private Tables() {}

  /** Renders rows; columns from {@code firstNumeric} on are right-aligned. */
  static String render(List<String[]> rows, int firstNumeric) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String fill = " ".repeat(widths[i] - row[i].length());
        line.append(i >= firstNumeric ? fill + row[i] : row[i] + fill).append("  ");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
