package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.cluster.ParameterServer;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.train.FineTuning;
import dev.netspec.runtime.train.Optimizer;
import dev.netspec.runtime.train.RunDirectory;
import dev.netspec.runtime.train.Schedule;
import dev.netspec.runtime.train.SyncTraining;
import dev.netspec.runtime.train.Trainer;
import dev.netspec.runtime.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code netspec train}: trains a network, by default the compact ResNet-8 on synthetic shapes,
 * and prints {@code val_top1=<fraction>} last.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train a network and print its final validation top-1 accuracy last, as "
        + "val_top1=<fraction>.",
        "With no options: ResNet-8 on 20,000 synthetic 32x32 shapes in 10 classes (drawn on the "
            + "fly, no download), 6 epochs of SGD with Nesterov momentum, a checkpoint per epoch, "
            + "metrics.csv and metrics.png in runs/<network>-<time>/."})
final class TrainCommand implements Callable<Integer> {
  /** Options that a resumed run takes from its checkpoint instead. */
  private static final List<String> RECORDED = List.of("--batch", "--optimizer",
      "--lr", "--momentum", "--no-nesterov", "--schedule", "--warmup", "--step-every", "--gamma",
      "--final-lr", "--weight-decay", "--decay-norm-and-bias", "--label-smoothing", "--seed",
      "--keep", "--data", "--data-dir", "--train-images", "--val-images", "--val-fraction",
      "--data-seed", "--size", "--init", "--rules", "--freeze", "--pretrained-lr-scale");

  /** Options that only mean something with {@code --init}. */
  private static final List<String> FINE_TUNING = List.of("--rules", "--freeze",
      "--pretrained-lr-scale");

  @Option(names = "--network", defaultValue = "resnet8",
      description = "a zoo name or a generated class (default: ${DEFAULT-VALUE})")
  String network;

  @Mixin DataOptions data;

  @Option(names = "--epochs", description = "passes over the training images (default: 6)")
  Integer epochs;

  @Option(names = "--batch", defaultValue = "64",
      description = "images per step (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--optimizer", defaultValue = "sgd",
      description = "sgd, adam or adamw (default: ${DEFAULT-VALUE})")
  String optimizer;

  @Option(names = "--lr", description = "the base learning rate (default: 0.1 for SGD, 0.001 for "
      + "Adam and AdamW)")
  Double lr;

  @Option(names = "--momentum", defaultValue = "0.9",
      description = "SGD momentum (default: ${DEFAULT-VALUE})")
  double momentum;

  @Option(names = "--no-nesterov", description = "plain instead of Nesterov momentum")
  boolean noNesterov;

  @Option(names = "--schedule", defaultValue = "cosine",
      description = "cosine, step or constant (default: ${DEFAULT-VALUE})")
  String schedule;

  @Option(names = "--warmup", defaultValue = "1",
      description = "epochs of linear warm-up; 0 = none (default: ${DEFAULT-VALUE})")
  double warmup;

  @Option(names = "--step-every", defaultValue = "30",
      description = "epochs between decays of the step schedule (default: ${DEFAULT-VALUE})")
  int stepEvery;

  @Option(names = "--gamma", defaultValue = "0.1",
      description = "the step schedule's factor (default: ${DEFAULT-VALUE})")
  double gamma;

  @Option(names = "--final-lr", defaultValue = "0",
      description = "where the cosine schedule ends (default: ${DEFAULT-VALUE})")
  double finalLr;

  @Option(names = "--weight-decay", description = "L2 weight decay, decoupled for AdamW "
      + "(default: 5e-4 for SGD, 0 for Adam, 0.01 for AdamW)")
  Double weightDecay;

  @Option(names = "--decay-norm-and-bias",
      description = "also decay BatchNorm weights and biases (by default they are not decayed)")
  boolean decayNormAndBias;

  @Option(names = "--label-smoothing", defaultValue = "0.1",
      description = "label smoothing (default: ${DEFAULT-VALUE})")
  double labelSmoothing;

  @Option(names = "--seed", defaultValue = "1",
      description = "initial weights, data order, augmentation and dropout (default: "
          + "${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--keep", defaultValue = "3",
      description = "epoch checkpoints to keep besides the best (default: ${DEFAULT-VALUE})")
  int keep;

  @Option(names = "--out", paramLabel = "<dir>",
      description = "the run folder (default: runs/<network>-<time>; with --resume, the "
          + "checkpoint's folder)")
  Path out;

  @Option(names = "--resume", paramLabel = "<checkpoint|dir>",
      description = "continue a run exactly from a checkpoint, or the latest one in a run folder, "
          + "with the settings it records")
  Path resume;

  @Option(names = "--init", paramLabel = "<file.safetensors|run folder>",
      description = "start from pretrained weights: a PyTorch state dict (PyTorch's key names, "
          + "renamed by --rules), a netspec checkpoint, or a run folder (its best checkpoint); "
          + "input convolutions adapt to the network's channels, a classifier trained for "
          + "another number of classes is replaced and reinitialized, any other difference is "
          + "refused")
  Path init;

  @Option(names = "--rules", paramLabel = "<zoo name>",
      description = "with --init of a state dict: rename its keys by the rules of this zoo "
          + "network's family (default: the network's own; none for a network outside the zoo)")
  String rules;

  @Option(names = "--freeze", paramLabel = "<stage>",
      description = "with --init: keep every stage up to and including this one fixed, its "
          + "BatchNorm in inference mode (the pretrained running statistics, not updated)")
  String freeze;

  @Option(names = "--pretrained-lr-scale", paramLabel = "<factor>",
      description = "with --init: the pretrained part (all but a replaced classifier) learns at "
          + "this factor times the learning rate, in (0, 1] (default: 1)")
  Double pretrainedLrScale;

  @Option(names = "--workers", defaultValue = "1",
      description = "threads preparing batches (default: ${DEFAULT-VALUE})")
  int workers;

  @Mixin RuntimeOptions runtime;
  @Mixin MemoryOptions memory;
  @Mixin ClusterOptions cluster;

  @Option(names = "--local-workers", paramLabel = "<n>",
      description = "train on a cluster of n workers and a parameter server started on this "
          + "machine (loopback addresses), each a process of its own; --batch is per worker")
  Integer localWorkers;

  @Option(names = "--no-progress", description = "no progress bar (also off without a terminal)")
  boolean noProgress;

  /** Taken only to be refused with the reason, rather than as an unknown option. */
  @Option(names = "--engine", hidden = true)
  String engine;

  @Spec CommandSpec spec;

  /** This process's part in a cluster; null when it trains alone. */
  private SyncTraining sync;

  @Override
  public Integer call() {
    if (engine != null) {
      throw new IllegalArgumentException("training runs on TensorFlow only; --engine " + engine
          + " is for inference: predict, evaluate and bench take it");
    }
    PrintWriter console = spec.commandLine().getOut();
    if (localWorkers != null) {
      return localCluster(console);
    }
    ClusterConfig task = cluster.resolve().orElse(null);
    if (task != null && !task.task().isWorker()) {
      return serve(task, console);
    }
    sync = task == null ? null : cluster.training(task);
    boolean chief = task == null || task.isChief();
    boolean progress = chief && !noProgress && System.console() != null;
    TrainingReport report = new TrainingReport(console, progress);
    Trainer.Result result;
    try {
      result = train(report);
    } finally {
      report.closeBar();
    }
    if (!chief) {
      console.println(task.describeWorker(task.task().index()) + ": trained until the chief "
          + "ended the run");
      return 0;
    }
    report.finish(result);
    return 0;
  }

  /** The parameter server's task: serves until the chief ends the run. */
  private static int serve(ClusterConfig task, PrintWriter console) {
    console.println(task.describeParameterServer(task.task().index()) + ": serving the variables");
    console.flush();
    String end = ParameterServer.serve(task);
    console.println(task.describeParameterServer(task.task().index())
        + ": the chief ended the run: " + end);
    console.flush();
    return end.equals(ParameterServer.FINISHED) ? 0 : 1;
  }

  /** {@code --local-workers}: this command's arguments, run by every task of a local cluster. */
  private int localCluster(PrintWriter console) {
    ParseResult parsed = spec.commandLine().getParseResult();
    for (String option : List.of("--cluster", "--task")) {
      if (parsed.hasMatchedOption(option)) {
        throw new IllegalArgumentException("--local-workers starts a cluster of its own; leave "
            + option + " out");
      }
    }
    List<String> args = new ArrayList<>(parsed.originalArgs());
    int command = args.indexOf(spec.name());
    args = new ArrayList<>(args.subList(command + 1, args.size()));
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--local-workers")) {
        args.subList(i, Math.min(i + 2, args.size())).clear();
        i--;
      } else if (args.get(i).startsWith("--local-workers=")) {
        args.remove(i--);
      }
    }
    Path folder;
    if (resume != null) {
      folder = out != null ? out : RunDirectory.latest(resume).toAbsolutePath().getParent();
    } else {
      folder = out != null ? out : defaultFolder();
      refuseExistingRun(folder);
    }
    if (out == null) {
      args.add("--out");
      args.add(folder.toString());
    }
    console.flush();
    return LocalCluster.run(localWorkers, args, folder, console);
  }

  private Path defaultFolder() {
    return Path.of("runs", network.replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  private Trainer.Result train(TrainingReport report) {
    if (resume != null) {
      return resume(report);
    }
    NetworkDescriptor<?> descriptor = Zoo.resolve(network);
    Path folder = out != null ? out : defaultFolder();
    if (sync == null || sync.cluster().isChief()) {
      refuseExistingRun(folder);
    }
    TrainingConfig config = config().withFineTuning(fineTuning(descriptor));
    return Trainer.train(descriptor, data.source(), config, options(folder), report);
  }

  private Trainer.Result resume(TrainingReport report) {
    ParseResult parsed = spec.commandLine().getParseResult();
    for (String option : RECORDED) {
      if (parsed.hasMatchedOption(option)) {
        throw new IllegalArgumentException("--resume continues a run with the settings its "
            + "checkpoint records, so " + option + " cannot change them; only --epochs, --out, "
            + "--workers, --device, --threads and --no-progress apply");
      }
    }
    Path file = RunDirectory.latest(resume);
    Checkpoint checkpoint = Checkpoint.open(file);
    // --network, when given, must fit the checkpoint: the trainer lists what differs
    NetworkDescriptor<?> descriptor =
        Zoo.resolve(parsed.hasMatchedOption("--network") ? network : checkpoint.network());
    Path folder = out != null ? out : file.toAbsolutePath().getParent();
    return Trainer.resume(descriptor, checkpoint, epochs == null ? 0 : epochs, options(folder), report);
  }

  /** What --init and the options that go with it ask for. */
  private FineTuning fineTuning(NetworkDescriptor<?> descriptor) {
    ParseResult parsed = spec.commandLine().getParseResult();
    if (init == null) {
      for (String option : FINE_TUNING) {
        if (parsed.hasMatchedOption(option)) {
          throw new IllegalArgumentException(option + " applies to pretrained weights: give "
              + "them with --init <file.safetensors|run folder>");
        }
      }
      return FineTuning.NONE;
    }
    FineTuning tuning = FineTuning.from(init, ImportOptions.rules(rules, descriptor))
        .freezingThrough(freeze);
    return pretrainedLrScale == null ? tuning
        : tuning.withPretrainedLearningRateScale(pretrainedLrScale);
  }

  /** Where the run's files go and how its model runs. */
  private Trainer.Options options(Path folder) {
    Trainer.Options options = new Trainer.Options(folder, workers, runtime.size,
        memory.applyTo(runtime.modelOptions()));
    return sync == null ? options : options.withSync(sync);
  }

  /** A new run must not overwrite another run's checkpoints. */
  private static void refuseExistingRun(Path folder) {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      if (files.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors"))) {
        throw new IllegalArgumentException(folder + " already holds a run's checkpoints: "
            + "continue it with --resume " + folder + ", or choose another --out");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private TrainingConfig config() {
    Optimizer chosen;
    double rate;
    double decay;
    switch (optimizer.toLowerCase(Locale.ROOT)) {
      case "sgd" -> {
        chosen = Optimizer.sgd(momentum, !noNesterov && momentum > 0);
        rate = lr == null ? 0.1 : lr;
        decay = weightDecay == null ? 5e-4 : weightDecay;
      }
      case "adam" -> {
        chosen = Optimizer.adam();
        rate = lr == null ? 1e-3 : lr;
        decay = weightDecay == null ? 0 : weightDecay;
      }
      case "adamw" -> {
        chosen = Optimizer.adamW();
        rate = lr == null ? 1e-3 : lr;
        decay = weightDecay == null ? 0.01 : weightDecay;
      }
      default -> throw new IllegalArgumentException("unknown --optimizer '" + optimizer
          + "': use sgd, adam or adamw");
    }
    Schedule base = switch (schedule.toLowerCase(Locale.ROOT)) {
      case "cosine" -> new Schedule.Cosine(rate, finalLr);
      case "step" -> new Schedule.StepDecay(rate, stepEvery, gamma);
      case "constant" -> new Schedule.Constant(rate);
      default -> throw new IllegalArgumentException("unknown --schedule '" + schedule
          + "': use cosine, step or constant");
    };
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0 epochs, got " + warmup);
    }
    Schedule withWarmup = warmup > 0 ? new Schedule.Warmup(base, warmup) : base;
    return new TrainingConfig(epochs == null ? 6 : epochs, batch, chosen, withWarmup, decay,
        decayNormAndBias, labelSmoothing, seed, keep);
  }
}
