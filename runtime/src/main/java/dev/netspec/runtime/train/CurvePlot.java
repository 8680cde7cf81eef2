package dev.netspec.runtime.train;

import dev.netspec.runtime.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a run's loss and accuracy curves over epochs into a PNG (JFreeChart): training loss and
 * top-1 as lines per logging interval, validation loss, top-1 and top-5 as points per epoch.
 */
public final class CurvePlot {
  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color VALIDATION = new Color(0xd62728);
  private static final Color VALIDATION_TOP5 = new Color(0xff7f0e);

  private CurvePlot() {}

  /**
   * Writes the plot of {@code rows} to {@code png} atomically. With label smoothing the training
   * loss is measured against smoothed targets and says so.
   */
  public static void write(Path png, String title, List<MetricsLog.Row> rows,
      double labelSmoothing) throws IOException {
    XYSeriesCollection losses = new XYSeriesCollection();
    String training = labelSmoothing > 0
        ? "training loss (label smoothing " + Schedule.plain(labelSmoothing) + ")"
        : "training loss";
    losses.addSeries(series(training, rows, "train", MetricsLog.Row::loss));
    losses.addSeries(series("validation loss", rows, "val", MetricsLog.Row::loss));
    XYSeriesCollection accuracies = new XYSeriesCollection();
    accuracies.addSeries(series("training top-1", rows, "train", MetricsLog.Row::top1));
    accuracies.addSeries(series("validation top-1", rows, "val", MetricsLog.Row::top1));
    accuracies.addSeries(series("validation top-5", rows, "val", MetricsLog.Row::top5));

    NumberAxis lossAxis = new NumberAxis("loss");
    lossAxis.setAutoRangeIncludesZero(true);
    XYPlot lossPlot = new XYPlot(losses, null, lossAxis, renderer(TRAIN, VALIDATION));
    NumberAxis accuracyAxis = new NumberAxis("accuracy");
    accuracyAxis.setRange(0, 1.02);
    XYPlot accuracyPlot = new XYPlot(accuracies, null, accuracyAxis,
        renderer(TRAIN, VALIDATION, VALIDATION_TOP5));
    for (XYPlot plot : List.of(lossPlot, accuracyPlot)) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    NumberAxis epochs = new NumberAxis("epoch");
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(epochs);
    combined.setGap(12);
    combined.add(lossPlot, 1);
    combined.add(accuracyPlot, 1);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), combined,
        true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.write(png, t -> ChartUtils.saveChartAsPNG(t.toFile(), chart, 900, 640));
  }

  private static XYSeries series(String name, List<MetricsLog.Row> rows, String phase,
      ToDoubleFunction<MetricsLog.Row> value) {
    XYSeries series = new XYSeries(name, false, true);
    for (MetricsLog.Row row : rows) {
      double v = value.applyAsDouble(row);
      if (row.phase().equals(phase) && !Double.isNaN(v) && !Double.isInfinite(v)) {
        series.add(row.epoch(), v);
      }
    }
    return series;
  }

  /** The first colour draws training as a line, the others validation as lines with points. */
  private static XYLineAndShapeRenderer renderer(Color train, Color... validation) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setSeriesPaint(0, train);
    renderer.setSeriesShapesVisible(0, false);
    renderer.setSeriesStroke(0, new BasicStroke(1.5f));
    for (int i = 0; i < validation.length; i++) {
      renderer.setSeriesPaint(i + 1, validation[i]);
      renderer.setSeriesShapesVisible(i + 1, true);
      renderer.setSeriesStroke(i + 1, new BasicStroke(2f));
    }
    return renderer;
  }
}
