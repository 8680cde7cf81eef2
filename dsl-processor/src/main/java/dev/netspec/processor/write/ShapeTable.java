package dev.netspec.processor.write;

import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.TensorShape;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.StageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table of stages with output shapes, parameters and MACs: in Javadoc and in compiler notes. */
public final class ShapeTable {
  private ShapeTable() {}

  public static String render(NetworkModel model) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"stage", "kind", "output", "stride", "parameters", "MACs"});
    TensorShape input = model.input();
    rows.add(new String[] {"(input)", "", input.describe(), "1", "", ""});
    for (StageModel stage : model.stages()) {
      rows.add(new String[] {stage.name(), stage.stage().description(), stage.output().describe(),
          stage.output().flat() ? "-" : Integer.toString(stage.output().stride()),
          count(stage.cost().parameters()), macs(stage.cost())});
    }
    Cost total = model.cost();
    rows.add(new String[] {"total", "", "", "", count(total.parameters()), macs(total)});
    int[] widths = new int[6];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean number = i >= 3;
        String cell = number ? pad(row[i], widths[i], true) : pad(row[i], widths[i], false);
        line.append(cell).append(i < row.length - 1 ? "  " : "");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String macs(Cost cost) {
    return cost.macs() < 0 ? "?" : count(cost.macs());
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
