package dev.netspec.examples.cli;

import dev.netspec.runtime.train.FineTuning;
import dev.netspec.runtime.train.Trainer;
import dev.netspec.runtime.train.TrainingGraph;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code netspec train} shows: the plan, a progress bar per epoch (loss, accuracy, images/s)
 * on the terminal, a line per epoch, and {@code val_top1=<fraction>} last.
 */
final class TrainingReport implements Trainer.Listener {
  private final PrintWriter out;
  private final boolean progress;
  private ProgressBar bar;
  private int epochs;
  private double lossSum;
  private long hits;
  private long seen;

  TrainingReport(PrintWriter out, boolean progress) {
    this.out = out;
    this.progress = progress;
  }

  @Override
  public void started(Trainer.Plan plan) {
    out.printf(Locale.ROOT, "%s (%,d parameters) on %dx%d images%n", plan.network(),
        plan.parameters(), plan.height(), plan.width());
    out.printf("training:   %s%n", plan.trainData());
    out.printf("validation: %s%n", plan.validationData());
    epochs = plan.config().epochs();
    out.printf(Locale.ROOT, "%d epochs of %d batches of %d; %s, learning rate %s; weight decay "
            + "%s%s; label smoothing %s; seed %d%n",
        plan.config().epochs(), plan.batchesPerEpoch(), plan.config().batchSize(),
        plan.config().optimizer().describe(), plan.config().schedule().describe(),
        plain(plan.config().weightDecay()),
        plan.config().decayNormAndBias() ? "" : " (not on BatchNorm and biases)",
        plain(plan.config().labelSmoothing()), plan.config().seed());
    fineTuning(plan);
    if (plan.resumedFrom() != null) {
      out.printf("resuming at epoch %d from %s%n", plan.firstEpoch(), plan.resumedFrom());
    }
    out.printf("run folder: %s%n", plan.output());
    out.flush();
  }

  /** Where the weights came from, what was replaced, frozen and scaled: a line each. */
  private void fineTuning(Trainer.Plan plan) {
    FineTuning tuning = plan.config().fineTuning();
    if (!tuning.pretrained()) {
      return;
    }
    if (plan.initialized() != null) {
      out.println("init: " + plan.initialized().summary());
      plan.initialized().head().ifPresent(head -> out.println("init: " + head.describe()));
    } else {
      out.println("init: " + tuning.init() + " (loaded when the run started)");
    }
    out.printf(Locale.ROOT, "fine-tuning: %s; %,d of %,d parameters trained%s%n",
        tuning.frozenStage().map(stage -> "frozen through " + stage
            + " (its BatchNorm on the pretrained statistics)").orElse("nothing frozen"),
        plan.trainedParameters(), plan.parameters(),
        tuning.pretrainedLearningRateScale() == 1 ? ""
            : ", the pretrained part at " + plain(tuning.pretrainedLearningRateScale())
                + " x the learning rate");
  }

  @Override
  public void batch(int epoch, int batch, int batches, TrainingGraph.StepResult step,
      double learningRate, double imagesPerSecond) {
    if (batch == 0) {
      lossSum = 0;
      hits = 0;
      seen = 0;
      if (progress) {
        bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(batches)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
            .clearDisplayOnFinish().build();
      }
    }
    lossSum += step.loss() * step.examples();
    hits += step.top1();
    seen += step.examples();
    if (bar != null) {
      bar.stepTo(batch + 1);
      bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f top1 %.3f %4.0f img/s",
          lossSum / seen, (double) hits / seen, imagesPerSecond));
    }
  }

  @Override
  public void validating(int epoch) {
    closeBar();
  }

  /** Stops the progress bar (its thread redraws it until then). */
  void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void epoch(Trainer.EpochSummary s) {
    out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  top1 %.4f | val loss %.4f  top1 %.4f  "
            + "top5 %.4f | lr %.4g  %.0f img/s  %.1f s%s%n",
        s.epoch(), s.epochs(), s.trainLoss(), s.trainTop1(), s.validationLoss(),
        s.validationTop1(), s.validationTop5(), s.learningRate(), s.imagesPerSecond(),
        s.seconds(), s.best() ? "  (best)" : "");
    out.flush();
  }

  private static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** The closing lines; {@code val_top1=} is the last. */
  void finish(Trainer.Result result) {
    out.printf(Locale.ROOT, "checkpoints: %s (latest: %s; best: %s, val_top1 %.4f)%n",
        result.output(), result.last().checkpoint().getFileName(), result.best().getFileName(),
        result.bestTop1());
    out.printf("curves: %s, %s%n", result.output().resolve("metrics.csv"),
        result.output().resolve("metrics.png"));
    out.printf(Locale.ROOT, "val_top1=%.4f%n", result.last().validationTop1());
    out.flush();
  }
}
