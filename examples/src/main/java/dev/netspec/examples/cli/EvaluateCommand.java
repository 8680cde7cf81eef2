package dev.netspec.examples.cli;

import dev.netspec.runtime.data.BatchLoader;
import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.data.DataSplits;
import dev.netspec.runtime.data.Transform;
import dev.netspec.runtime.io.Classifier;
import dev.netspec.runtime.io.ModelInfo;
import dev.netspec.runtime.train.Evaluation;
import dev.netspec.runtime.train.Scores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netspec evaluate}: loss and top-1/top-5 accuracy of a trained model on validation data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Score a checkpoint or an exported SavedModel on validation images and print "
        + "val_loss, val_top5 and, last, val_top1.",
        "The data defaults to what the model was trained on; --val-images, --data-seed, "
            + "--train-images or --val-fraction alone change only that setting of it."})
final class EvaluateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "<model>",
      description = "a checkpoint (.safetensors), a run folder (its best checkpoint) or a "
          + "SavedModel folder")
  Path model;

  @Option(names = "--network", description = "the network to load a checkpoint into (default: "
      + "the one it records)")
  String network;

  @Mixin DataOptions data;

  @Option(names = "--batch", defaultValue = "128",
      description = "images per batch (default: ${DEFAULT-VALUE})")
  int batch;

  @Mixin DeviceOptions devices;

  @Mixin EngineOption engine;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Classifier classifier = ModelPath.open(model, network, devices.modelOptions(),
        engine.engine)) {
      ModelInfo info = classifier.info();
      DataSource source = data.given() ? data.source()
          : data.over(DataSource.fromMetadata(classifier.metadata()));
      DataSplits splits = source.open(info.channels());
      if (splits.validation().classes() != info.classNames().size()) {
        throw new IllegalArgumentException("the model knows " + info.classNames().size()
            + " classes, " + splits.validation().describe() + " has "
            + splits.validation().classes());
      }
      out.printf("%s on %s%n", simpleName(info.network()), splits.validation().describe());
      Scores scores;
      try (BatchLoader loader = new BatchLoader(splits.validation(),
          Transform.evaluation(info.height(), info.width(), info.normalization()), batch, false,
          false, 0, 1, 4)) {
        scores = Evaluation.run(classifier::logits, loader);
      }
      EngineOption.report(classifier.engineDecision(), spec.commandLine().getErr());
      out.printf(Locale.ROOT, "images=%d%nval_loss=%.4f%nval_top5=%.4f%nval_top1=%.4f%n",
          scores.examples(), scores.meanLoss(), scores.top5(), scores.top1());
    }
    out.flush();
    return 0;
  }

  static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
