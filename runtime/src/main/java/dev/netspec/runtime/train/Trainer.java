package dev.netspec.runtime.train;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.cluster.ClusterFailureException;
import dev.netspec.runtime.data.Batch;
import dev.netspec.runtime.data.BatchLoader;
import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.data.DataSplits;
import dev.netspec.runtime.data.Dataset;
import dev.netspec.runtime.data.Normalization;
import dev.netspec.runtime.data.Shard;
import dev.netspec.runtime.data.Transform;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.FaultInjection;
import dev.netspec.runtime.io.FiniteValues;
import dev.netspec.runtime.io.InitReport;
import dev.netspec.runtime.io.ModelInfo;
import dev.netspec.runtime.io.NonFiniteValuesException;
import dev.netspec.runtime.io.PretrainedWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains a generated classifier: epochs of shuffled, augmented batches prepared in the
 * background, a validation pass after each, a checkpoint per epoch (atomic; the latest few and the
 * best kept), a metrics CSV and a plot of the curves. A NaN or infinite loss, or weights,
 * BatchNorm statistics or optimizer state that are no longer finite at an epoch's end, stop the
 * run and leave the checkpoints as they were: only finite states become checkpoints.
 *
 * <p>An epoch ends in steps ordered so that a kill at any instant can be recovered from: the
 * checkpoint (written beside, then renamed: the commit), the best copy, pruning, the plot, and
 * last the validation row of {@code metrics.csv}, which marks the end complete. The checkpoint
 * records all that those steps need; a resumed run whose last epoch lacks its row redoes them.
 *
 * <p>Resuming from a checkpoint continues exactly: weights, BatchNorm statistics and optimizer
 * state are restored bit for bit, and the learning rate, data order, augmentation and dropout
 * masks are functions of the seed and the step.
 *
 * <p>A run whose configuration has {@link FineTuning} loads the pretrained weights over the
 * seed's (before the training graph is built, so that weights that do not fit stop it at once),
 * builds its frozen stages as for inference and trains the rest, the pretrained part at its
 * scaled learning rate. Its checkpoints record the settings, where the weights came from and
 * which variables were fresh, so that a resumed run trains as the uninterrupted one.
 */
public final class Trainer {
  /** Images drawn to estimate the normalization of a new run. */
  private static final int NORMALIZATION_SAMPLES = 2000;

  /**
   * What the run is about to do.
   *
   * @param trainedParameters the parameters training updates: all but the frozen
   * @param initialized what loading the pretrained weights did; null when the run starts from
   *     the seed or is resumed
   */
  public record Plan(String network, long parameters, long trainedParameters, String trainData,
      String validationData, int trainImages, int validationImages, int height, int width,
      int batchesPerEpoch, int firstEpoch, TrainingConfig config, Normalization normalization,
      Path output, Path resumedFrom, InitReport initialized) {}

  /** One epoch's figures. */
  public record EpochSummary(int epoch, int epochs, long step, double learningRate,
      double trainLoss, double trainTop1, double validationLoss, double validationTop1,
      double validationTop5, double imagesPerSecond, double seconds, Path checkpoint,
      boolean best) {}

  /**
   * The whole run's outcome. On a cluster's worker other than the chief, which neither validates
   * nor writes, {@code last} and {@code best} are null and {@code bestTop1} is NaN.
   */
  public record Result(EpochSummary last, double bestTop1, Path best, Path output) {}

  /** Hears about the run as it goes; every method runs on the training thread. */
  public interface Listener {
    default void started(Plan plan) {}

    /** After training batch {@code batch} (0-based) of {@code batches}. */
    default void batch(int epoch, int batch, int batches, TrainingGraph.StepResult step,
        double learningRate, double imagesPerSecond) {}

    /** Before the validation pass of {@code epoch}. */
    default void validating(int epoch) {}

    default void epoch(EpochSummary summary) {}
  }

  /**
   * Where and how to run.
   *
   * @param workers threads preparing batches
   * @param imageSize the image side of a network that takes any size (a resumed run keeps its
   *     own)
   * @param model the device and TensorFlow's threads
   * @param sync this process's part in synchronous data-parallel training on a cluster; empty:
   *     it trains alone
   */
  public record Options(Path output, int workers, int imageSize, ModelOptions model,
      Optional<SyncTraining> sync) {
    public Options {
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(sync, "sync");
      if (workers < 1) {
        throw new IllegalArgumentException("data workers must be at least 1, got " + workers);
      }
      if (imageSize < 1) {
        throw new IllegalArgumentException("the image size must be at least 1, got " + imageSize);
      }
    }

    /** In one process. */
    public Options(Path output, int workers, int imageSize, ModelOptions model) {
      this(output, workers, imageSize, model, Optional.empty());
    }

    /** In one process, on the default device with every core. */
    public Options(Path output, int workers, int imageSize) {
      this(output, workers, imageSize, ModelOptions.defaults());
    }

    /** These options for a worker of a cluster. */
    public Options withSync(SyncTraining training) {
      return new Options(output, workers, imageSize, model, Optional.of(training));
    }
  }

  private final NetworkDescriptor<?> network;
  private final DataSource source;
  private final DataSplits opened;
  private final TrainingConfig config;
  private final Options options;
  private final Checkpoint resumeFrom;
  private final Listener listener;

  private Trainer(NetworkDescriptor<?> network, DataSource source, DataSplits opened,
      TrainingConfig config, Options options, Checkpoint resumeFrom, Listener listener) {
    this.network = Objects.requireNonNull(network, "network");
    this.source = Objects.requireNonNull(source, "source");
    this.opened = opened;
    this.config = Objects.requireNonNull(config, "config");
    this.options = Objects.requireNonNull(options, "options");
    this.resumeFrom = resumeFrom;
    this.listener = listener == null ? new Listener() {} : listener;
  }

  /** A new run of {@code network} on {@code source}. */
  public static Result train(NetworkDescriptor<?> network, DataSource source,
      TrainingConfig config, Options options, Listener listener) {
    return new Trainer(network, source, null, config, options, null, listener).run();
  }

  /**
   * A new run on data already opened ({@code source} is what checkpoints record of it, for
   * {@code evaluate} and {@code --resume}).
   */
  public static Result train(NetworkDescriptor<?> network, DataSource source,
      DataSplits data, TrainingConfig config, Options options, Listener listener) {
    return new Trainer(network, source, Objects.requireNonNull(data, "data"), config, options,
        null, listener).run();
  }

  /**
   * Continues the run that wrote {@code checkpoint} with the configuration and data it records;
   * {@code epochs} (when positive) extends or shortens it.
   *
   * @throws IllegalArgumentException when the checkpoint is unreadable or does not fit the network
   */
  public static Result resume(NetworkDescriptor<?> network, Checkpoint checkpoint,
      int epochs, Options options, Listener listener) {
    TrainingConfig recorded = TrainingConfig.fromMetadata(checkpoint.metadata());
    TrainingConfig config = epochs > 0 ? recorded.withEpochs(epochs) : recorded;
    DataSource source = DataSource.fromMetadata(checkpoint.metadata());
    return new Trainer(network, source, null, config, options, checkpoint, listener).run();
  }

  private Result run() {
    SyncTraining sync = options.sync().orElse(null);
    if (sync != null) {
      sync.cluster().startServer();
      if (!sync.cluster().isChief()) {
        return runReplica(sync);
      }
    }
    RunDirectory run = RunDirectory.prepare(options.output());
    List<AutoCloseable> resources = new ArrayList<>();
    SyncReplicas replicas = null;
    try {
      run.removeLeftovers();
      // Training and evaluation share one graph and its variables. The smaller inference build
      // goes in first: TensorFlow Java reads every op of the graph for each new name scope, so
      // a build costs more the larger the graph it joins.
      Model<?> evalModel = create(Mode.INFERENCE);
      resources.add(evalModel);
      InitReport initialized = null;
      Optional<InitRecord> init = Optional.empty();
      if (config.fineTuning().pretrained()) {
        if (resumeFrom == null) {
          initialized = load(config.fineTuning(), evalModel);
          init = Optional.of(InitRecord.of(initialized));
        } else {
          init = Optional.of(InitRecord.fromMetadata(resumeFrom.metadata(),
              "checkpoint " + resumeFrom.file()));
        }
      }
      if (resumeFrom != null) {
        // names and shapes first: a checkpoint of another network fails before the slow parts
        Map<String, Shape> weights = new LinkedHashMap<>();
        evalModel.variables().entries().forEach(e -> weights.put(e.name(), e.shape()));
        resumeFrom.shapes().forEach((name, shape) -> {
          if (name.startsWith(Checkpoint.OPTIMIZER_PREFIX)) {
            weights.put(name, shape);
          }
        });
        resumeFrom.checkMatches(network.type().getName(), weights);
      }
      Model<?> trainModel = evalModel.forMode(Mode.TRAIN);
      Shape input = trainModel.images().shape();
      int channels = (int) input.get(3);
      ModelInfo recorded = resumeFrom == null ? null : ModelInfo.fromMetadata(resumeFrom.metadata());
      int height = input.get(1) > 0 ? (int) input.get(1)
          : recorded != null ? recorded.height() : options.imageSize();
      int width = input.get(2) > 0 ? (int) input.get(2)
          : recorded != null ? recorded.width() : options.imageSize();
      Set<String> fresh = init.map(InitRecord::fresh).orElse(Set.of());
      replicas = sync == null ? null
          : SyncReplicas.build(trainModel, config, fresh, sync.cluster(), sync.timeout());
      TrainingStep training = replicas != null ? replicas
          : TrainingGraph.build(trainModel, config, fresh);

      long step = 0;
      int done = 0;
      double bestTop1 = Double.NEGATIVE_INFINITY;
      int bestEpoch = 0;
      Normalization normalization = null;
      EpochRecord resumed = null;
      if (resumeFrom != null) {
        Map<String, String> m = resumeFrom.metadata();
        String what = "checkpoint " + resumeFrom.file();
        Metadata meta = new Metadata(m, what);
        step = meta.longInteger("step");
        done = meta.integer("epoch");
        bestTop1 = meta.real("best_val_top1");
        resumed = EpochRecord.fromMetadata(m, what).orElse(null);
        bestEpoch = resumed == null ? 0 : resumed.bestEpoch();
        normalization = recorded.normalization();
      }
      if (replicas != null) {
        replicas.awaitWorkers(fingerprint(sync.cluster(), height, width, step, done));
      }
      if (resumeFrom != null) {
        restore(trainModel, training);
      }
      if (replicas != null) {
        replicas.release(step);
      }

      DataSplits data = opened != null ? opened : source.open(channels);
      checkData(data, trainModel, channels);
      if (normalization == null) {
        normalization = Normalization.estimate(data.train(), NORMALIZATION_SAMPLES, config.seed());
      }
      Dataset trained = part(data.train(), sync);
      BatchLoader trainLoader = trainingLoader(trained, height, width, normalization);
      resources.add(trainLoader);
      BatchLoader validationLoader = new BatchLoader(data.validation(),
          Transform.evaluation(height, width, normalization), config.batchSize(), false, false,
          config.seed(), options.workers(), 4);
      resources.add(validationLoader);
      ModelInfo info = new ModelInfo(network.type().getName(), height, width, channels,
          data.train().classNames(), normalization);

      int batches = trainLoader.batches();
      long totalSteps = (long) batches * config.epochs();
      listener.started(new Plan(network.name(), trainModel.parameterCount(),
          trainModel.variables().trainedParameterCount(), trained.describe(),
          data.validation().describe(), trained.size(), data.validation().size(), height,
          width, batches, done + 1, config, normalization, run.path(),
          resumeFrom == null ? null : resumeFrom.file(), initialized));
      MetricsLog log = resumeFrom == null ? MetricsLog.create(run.metrics())
          : MetricsLog.resume(run.metrics(), step);
      Result result = epochs(run, evalModel, trainModel, training, trainLoader, validationLoader,
          info, init, log, resumed, step, done, bestTop1, bestEpoch, totalSteps);
      if (replicas != null) {
        replicas.finish();
      }
      return result;
    } catch (IOException e) {
      UncheckedIOException failure = new UncheckedIOException("writing to " + run.path()
          + " failed: " + e.getMessage(), e);
      stop(replicas, failure);
      throw failure;
    } catch (ClusterFailureException e) {
      stop(replicas, e);
      throw new ClusterFailureException(e.getMessage() + ". " + lastCheckpoint(run), e);
    } catch (RuntimeException | Error e) {
      stop(replicas, e);
      throw e;
    } finally {
      close(resources);
    }
  }

  /** The epochs of a run, from the one after {@code done}. */
  private Result epochs(RunDirectory run, Model<?> evalModel, Model<?> trainModel,
      TrainingStep training, BatchLoader trainLoader, BatchLoader validationLoader, ModelInfo info,
      Optional<InitRecord> init, MetricsLog log, EpochRecord resumed, long step, int done,
      double bestTop1, int bestEpoch, long totalSteps) throws IOException {
    EpochSummary last = null;
    if (resumed != null && !log.hasValidation(done)) {
      // stopped between the checkpoint and the end of its epoch: finish that end first
      endEpoch(run, resumeFrom.file(), resumed, log);
      last = resumed.summary(config.epochs(), resumeFrom.file());
      listener.epoch(last);
    }
    for (int epoch = done + 1; epoch <= config.epochs(); epoch++) {
      EpochRun result = trainEpoch(training, trainLoader, epoch, step, totalSteps, log, run);
      step = result.step;
      listener.validating(epoch);
      Scores validation = Evaluation.run(evalModel::predict, validationLoader);
      if (validation.top1() > bestTop1) {
        bestTop1 = validation.top1();
        bestEpoch = epoch;
      }
      EpochRecord record = new EpochRecord(epoch, step, result.rate, result.loss, result.top1,
          validation.meanLoss(), validation.top1(), validation.top5(), result.imagesPerSecond,
          result.seconds, bestEpoch, bestTop1);
      Path checkpoint = save(run, record, trainModel, training, info,
          init.map(InitRecord::toMetadata).orElse(Map.of()));
      endEpoch(run, checkpoint, record, log);
      last = record.summary(config.epochs(), checkpoint);
      listener.epoch(last);
    }
    if (last == null) {
      throw new IllegalArgumentException("the checkpoint already has all " + config.epochs()
          + " epochs; pass more epochs to train further");
    }
    return new Result(last, bestTop1, run.best(), run.path());
  }

  private static void close(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // closing TensorFlow and thread pools does not fail in ways worth reporting
      }
    }
  }

  /** Tells the cluster's other tasks, if any, that the run stopped with {@code failure}. */
  private static void stop(SyncReplicas replicas, Throwable failure) {
    if (replicas != null) {
      replicas.stop(String.valueOf(failure.getMessage()));
    }
  }

  /** Where a stopped cluster run can be resumed from. */
  private static String lastCheckpoint(RunDirectory run) {
    return RunDirectory.lastFinite(run.path())
        .map(p -> "The last complete checkpoint is " + p + "; restart every task with --resume "
            + run.path() + " to continue from it")
        .orElse("No checkpoint had been written yet; start the run again");
  }

  /** The loader of {@code trained}, shuffled and augmented, in batches of the configured size. */
  private BatchLoader trainingLoader(Dataset trained, int height, int width,
      Normalization normalization) {
    return new BatchLoader(trained, Transform.training(height, width, normalization),
        config.batchSize(), true, true, config.seed(), options.workers(), 4);
  }

  /** This worker's part of the training images: all of them in a single process. */
  private Dataset part(Dataset train, SyncTraining sync) {
    return sync == null ? train : Shard.of(train, sync.cluster().task().index(),
        sync.cluster().workers().size(), config.seed());
  }

  /**
   * What every worker of a cluster must agree on: the network, the settings, the data, the image
   * size, the cluster and where the run starts.
   */
  private Map<String, String> fingerprint(ClusterConfig cluster, int height, int width,
      long step, int done) {
    Map<String, String> print = new LinkedHashMap<>();
    print.put("network", network.type().getName());
    print.putAll(config.toMetadata());
    print.putAll(source.toMetadata());
    print.put("image_size", height + "x" + width);
    print.put("cluster.worker", String.join(",", cluster.workers()));
    print.put("cluster.ps", String.join(",", cluster.parameterServers()));
    print.put("start_step", Long.toString(step));
    print.put("start_epoch", Integer.toString(done + 1));
    return print;
  }

  /**
   * A worker other than the chief: joins the cluster, then computes and pushes the gradients of
   * its part of the training images, step by step as the chief lets it; it validates and writes
   * nothing.
   */
  private Result runReplica(SyncTraining sync) {
    ClusterConfig cluster = sync.cluster();
    try (Model<?> model = create(Mode.TRAIN)) {
      Shape input = model.images().shape();
      int channels = (int) input.get(3);
      ModelInfo recorded = resumeFrom == null ? null
          : ModelInfo.fromMetadata(resumeFrom.metadata());
      int height = input.get(1) > 0 ? (int) input.get(1)
          : recorded != null ? recorded.height() : options.imageSize();
      int width = input.get(2) > 0 ? (int) input.get(2)
          : recorded != null ? recorded.width() : options.imageSize();
      SyncReplicas replicas = SyncReplicas.build(model, config, Set.of(), cluster,
          sync.timeout());
      long step = 0;
      int done = 0;
      Normalization normalization = null;
      if (resumeFrom != null) {
        Metadata meta = new Metadata(resumeFrom.metadata(), "checkpoint " + resumeFrom.file());
        step = meta.longInteger("step");
        done = meta.integer("epoch");
        normalization = recorded.normalization();
      }
      replicas.join(fingerprint(cluster, height, width, step, done));
      DataSplits data = opened != null ? opened : source.open(channels);
      checkData(data, model, channels);
      if (normalization == null) {
        normalization = Normalization.estimate(data.train(), NORMALIZATION_SAMPLES, config.seed());
      }
      try (BatchLoader loader = trainingLoader(part(data.train(), sync), height, width,
          normalization)) {
        for (int epoch = done + 1; epoch <= config.epochs(); epoch++) {
          try (BatchLoader.Epoch stream = loader.epoch(epoch)) {
            while (stream.hasNext()) {
              Batch batch = stream.next();
              try (TFloat32 images = batch.imageTensor(); TInt32 labels = batch.labelTensor()) {
                replicas.push(images, labels, step);
              }
              long next = replicas.awaitNext(step);
              if (next != step + 1) {
                throw new ClusterFailureException(cluster.describeWorker(cluster.task().index())
                    + " pushed step " + step + " but the chief went on to step " + next
                    + ": the workers' data or settings differ");
              }
              step = next;
            }
          }
        }
      }
      return new Result(null, Double.NaN, null, options.output());
    }
  }

  private Model<?> create(Mode mode) {
    ModelOptions model = options.sync()
        .map(sync -> options.model().withCluster(sync.cluster().placement()))
        .orElse(options.model());
    Optional<String> frozen = config.fineTuning().frozenStage();
    if (model.frozenThrough().isPresent() && !model.frozenThrough().equals(frozen)) {
      throw new IllegalArgumentException("the model options freeze through '"
          + model.frozenThrough().get() + "': a trainer freezes what its configuration's "
          + "FineTuning says, which checkpoints record for resuming; freeze there");
    }
    return Model.create(network, mode, config.seed(), model.withFrozenThrough(frozen.orElse(null)));
  }

  /** Loads the pretrained weights over the seed's. */
  private static InitReport load(FineTuning tuning, Model<?> model) {
    PretrainedWeights weights = tuning.weights();
    try {
      return weights.loadInto(model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + weights.file() + ": " + e.getMessage(), e);
    }
  }

  private static void checkData(DataSplits data, Model<?> model, int channels) {
    long classes = model.network().output().shape().get(1);
    if (data.train().classes() != classes) {
      throw new IllegalArgumentException(model.network().getClass().getSimpleName()
          + " predicts " + classes + " classes; " + data.train().describe() + " has "
          + data.train().classes() + ": use a network whose @Classifier has classes = "
          + data.train().classes());
    }
    if (data.train().channels() != channels) {
      throw new IllegalArgumentException(model.network().getClass().getSimpleName() + " takes "
          + channels + "-channel images; " + data.train().describe() + " has "
          + data.train().channels());
    }
  }

  private record EpochRun(long step, double rate, double loss, double top1,
      double imagesPerSecond, double seconds) {}

  private EpochRun trainEpoch(TrainingStep training, BatchLoader loader, int epoch, long step,
      long totalSteps, MetricsLog log, RunDirectory run) {
    int batches = loader.batches();
    int interval = Math.max(1, batches / 20);
    double lossSum = 0;
    long hits = 0;
    long seen = 0;
    double windowLoss = 0;
    long windowHits = 0;
    long windowSeen = 0;
    int windowSteps = 0;
    double rate = 0;
    long start = System.nanoTime();
    try (BatchLoader.Epoch stream = loader.epoch(epoch)) {
      for (int b = 0; stream.hasNext(); b++) {
        Batch batch = stream.next();
        rate = config.schedule().rate(step, batches, totalSteps);
        TrainingGraph.StepResult result;
        try (TFloat32 images = batch.imageTensor(); TInt32 labels = batch.labelTensor()) {
          result = training.step(images, labels, step, rate);
        }
        if (!Double.isFinite(result.loss())) {
          throw diverged(epoch, b, step, rate, result.loss(), run);
        }
        step++;
        lossSum += result.loss() * result.examples();
        hits += result.top1();
        seen += result.examples();
        windowLoss += result.loss() * result.examples();
        windowHits += result.top1();
        windowSeen += result.examples();
        windowSteps++;
        double seconds = (System.nanoTime() - start) / 1e9;
        double speed = seen / Math.max(seconds, 1e-9);
        listener.batch(epoch, b, batches, result, rate, speed);
        if (windowSteps == interval || b == batches - 1) {
          log.append(new MetricsLog.Row(epoch - 1 + (b + 1.0) / batches, step, "train", rate,
              windowLoss / windowSeen, (double) windowHits / windowSeen, Double.NaN, speed,
              seconds));
          windowLoss = 0;
          windowHits = 0;
          windowSeen = 0;
          windowSteps = 0;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new EpochRun(step, rate, lossSum / seen, (double) hits / seen,
        seen / Math.max(seconds, 1e-9), seconds);
  }

  private TrainingDivergedException diverged(int epoch, int batch, long step, double rate,
      double loss, RunDirectory run) {
    return diverged(String.format(Locale.ROOT,
        "the loss became %s at epoch %d, batch %d (step %d, learning rate %.4g): training "
            + "stopped.", Double.isNaN(loss) ? "NaN" : "infinite", epoch, batch + 1, step, rate),
        run);
  }

  /** The first sentence says what happened; the rest which checkpoint to go back to. */
  private static TrainingDivergedException diverged(String what, RunDirectory run) {
    Optional<Path> last = RunDirectory.lastFinite(run.path());
    return new TrainingDivergedException(what + " " + last
        .map(p -> "The last finite checkpoint, " + p + ", is untouched.")
        .orElse("No finite checkpoint had been written.")
        + " Lower the learning rate (--lr) or add warm-up (--warmup), then train again.");
  }

  /**
   * Writes the epoch's checkpoint: weights, BatchNorm statistics and optimizer state, each checked
   * finite as it is written.
   *
   * @throws TrainingDivergedException when some are not (nothing is written then)
   */
  private Path save(RunDirectory run, EpochRecord record, Model<?> model, TrainingStep training,
      ModelInfo info, Map<String, String> initMetadata) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>(record.toMetadata());
    metadata.putAll(config.toMetadata());
    metadata.putAll(initMetadata);
    metadata.putAll(source.toMetadata());
    metadata.putAll(info.toMetadata());
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    try {
      tensors.putAll(model.readAll());
      tensors.putAll(training.slots().read());
      Path file = run.checkpoint(record.epoch());
      Checkpoint.save(file, network.type().getName(), metadata, tensors);
      return file;
    } catch (NonFiniteValuesException e) {
      throw diverged(String.format(Locale.ROOT, "the model stopped being finite in epoch %d "
          + "although its loss stayed finite (%s): training stopped, and epoch %d was not saved.",
          record.epoch(), FiniteValues.summary(e.offenders()), record.epoch()), run);
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
  }

  /**
   * The rest of an epoch's end once its checkpoint is in place, each step safe to redo: the best
   * copy, pruning, the plot, and last the validation row, which marks the end complete.
   */
  private void endEpoch(RunDirectory run, Path checkpoint, EpochRecord record, MetricsLog log)
      throws IOException {
    FaultInjection.reach("epoch-end:saved");
    if (record.best()) {
      run.markBest(checkpoint);
    }
    FaultInjection.reach("epoch-end:best");
    run.prune(config.keepCheckpoints());
    FaultInjection.reach("epoch-end:pruned");
    List<MetricsLog.Row> rows = new ArrayList<>(MetricsLog.read(log.file()));
    rows.add(record.validationRow());
    CurvePlot.write(run.plot(), network.name() + " on " + source.describe(), rows,
        config.labelSmoothing());
    FaultInjection.reach("epoch-end:plotted");
    log.append(record.validationRow());
    FaultInjection.reach("epoch-end:done");
  }

  /** Loads weights and optimizer state from the checkpoint, after checking names and shapes. */
  private void restore(Model<?> model, TrainingStep training) {
    Map<String, Shape> expected = new LinkedHashMap<>();
    model.variables().entries().forEach(e -> expected.put(e.name(), e.shape()));
    Map<String, Shape> slots = training.slots().shapes();
    expected.putAll(slots);
    resumeFrom.checkMatches(network.type().getName(), expected);
    Map<String, TFloat32> values = resumeFrom.read(List.copyOf(expected.keySet()));
    try {
      Map<String, TFloat32> weights = new LinkedHashMap<>();
      Map<String, TFloat32> state = new LinkedHashMap<>();
      values.forEach((name, value) -> (slots.containsKey(name) ? state : weights).put(name, value));
      model.assign(weights);
      training.slots().assign(state);
    } finally {
      values.values().forEach(TFloat32::close);
    }
  }
}
