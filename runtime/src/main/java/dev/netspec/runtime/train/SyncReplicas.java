package dev.netspec.runtime.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableAssigner;
import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.cluster.ClusterFailureException;
import dev.netspec.runtime.cluster.ParameterServer;
import dev.netspec.runtime.layers.VariableDevices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.op.train.ConditionalAccumulator;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Synchronous data-parallel training on a TensorFlow cluster with parameter servers and
 * between-graph replication: TensorFlow's {@code SyncReplicasOptimizer} protocol, driven from
 * Java. Every worker builds the same graph; its variables, one per name on the parameter servers,
 * are shared by all.
 *
 * <p>A step: every worker computes the gradients of its own batch and applies them to one {@code
 * ConditionalAccumulator} per variable beside the variable, tagged with the step (gradients
 * of an older step are dropped), and records the step in its "last pushed" counter. The chief
 * (worker 0) also updates the BatchNorm running statistics from its own batch, then takes the
 * average of all workers' gradients (it waits for as many as there are workers), applies the
 * optimizer's update, advances the global step and posts a token per other worker; each of them
 * waits for its token before its next step. So all workers compute every step on the same
 * weights, and the update is that of the mean gradient.
 *
 * <p>Start-up: each other worker posts its fingerprint (network, settings, data, cluster, where
 * it starts) to a queue on {@code ps:0} once its graph is built; the chief compares them
 * with its own, then (only then, so that no worker's initialization overwrites them) loads its
 * checkpoint or keeps its fresh weights, sets the global step, and posts "go" or the refusal.
 *
 * <p>Every wait (a take, a token, a start-up message) is bounded by the timeout; a take that
 * runs out names the workers whose counters lag.
 */
final class SyncReplicas implements TrainingStep {
  /** The token that starts the workers; any other start token is a refusal's message. */
  static final String GO = "go";
  /** What a token carries before the reason when the chief stopped the run. */
  static final String STOPPED = "stopped: ";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Model<?> model;
  private final ClusterConfig cluster;
  private final long timeoutMs;
  private final long seed;
  private final Objective objective;
  private final Placeholder<TInt64> localStep;
  private final List<Op> pushTargets = new ArrayList<>();
  private final List<Variable<TInt64>> pushed = new ArrayList<>();
  private final List<Operand<?>> tokenQueues = new ArrayList<>();
  private final Operand<?> readyQueue;
  private final Placeholder<TString> message;
  private final Op enqueueReady;
  private final Output<?> dequeueReady;
  private final List<Op> sendToWorkers = new ArrayList<>();
  private final List<Op> postDone = new ArrayList<>();
  private final Output<?> takeToken;
  /** The chief's: the optimizer over the averaged gradients, null on the other workers. */
  private final OptimizerGraph optimizer;
  private final List<Op> updateTargets = new ArrayList<>();
  private final Placeholder<TInt64> startStep;
  private final List<Op> startTargets = new ArrayList<>();
  /** The chief's optimizer state, null on the other workers. */
  private final OptimizerSlots slots;

  private SyncReplicas(Model<?> model, TrainingConfig config, Set<String> fresh,
      ClusterConfig cluster, Duration timeout) {
    if (model.mode() != Mode.TRAIN) {
      throw new IllegalArgumentException("training needs a model built in Mode.TRAIN, got "
          + model.mode());
    }
    this.model = model;
    this.cluster = cluster;
    this.timeoutMs = timeout.toMillis();
    this.seed = config.seed();
    int workers = cluster.workers().size();
    int task = cluster.task().index();
    boolean chief = cluster.isChief();
    Ops tf = Ops.create(model.graph()).withSubScope("training");
    Ops sync = tf.withSubScope("sync");
    // the run's own state (global step, counters, queues) on parameter server 0
    Ops ps = sync.withDevice(cluster.placement().coordinator());
    VariableAssigner slotAssigner = new VariableAssigner(tf, "restore");
    objective = Objective.build(tf, model, config, fresh);
    localStep = tf.withName("local_step").placeholder(TInt64.class,
        Placeholder.shape(Shape.scalar()));
    message = tf.withName("message").placeholder(TString.class,
        Placeholder.shape(Shape.scalar()));

    List<Operand<TString>> accumulators = new ArrayList<>();
    List<Op> applied = new ArrayList<>();
    for (OptimizerGraph.Parameter p : objective.parameters()) {
      // beside its variable: the update reads both
      Ops beside = VariableDevices.place(sync, p.name());
      Operand<TString> accumulator = beside.withName("accumulator." + p.name())
          .train.conditionalAccumulator(TFloat32.class, p.variable().shape(),
              ConditionalAccumulator.sharedName("netspec_accumulator." + p.name()));
      accumulators.add(accumulator);
      applied.add(beside.train.accumulatorApplyGradient(accumulator, localStep,
          p.gradient()));
    }
    for (int i = 0; i < workers; i++) {
      pushed.add(ps.withName("pushed_" + i).variable(Shape.scalar(), TInt64.class));
    }
    pushTargets.addAll(applied);
    pushTargets.add(ps.withControlDependencies(applied).assign(pushed.get(task),
        ps.math.add(localStep, ps.constant(1L))));
    if (chief) {
      pushTargets.addAll(model.network().updateOps());
    }
    for (int i = 1; i < workers; i++) {
      tokenQueues.add(queue(ps, "token_" + i, workers + 1L));
    }
    readyQueue = queue(ps, "ready", workers);
    enqueueReady = ps.io.queueEnqueue(readyQueue, List.of(message));
    dequeueReady = ps.io.queueDequeue(readyQueue, List.of(TString.class)).components().get(0);
    for (int k = 0; k < cluster.parameterServers().size(); k++) {
      postDone.add(sync.withDevice(ParameterServer.device(k)).io.queueEnqueue(
          ParameterServer.doneQueue(tf, k), List.of(message)));
    }
    takeToken = chief ? null : ps.io.queueDequeue(tokenQueues.get(task - 1),
        List.of(TString.class)).components().get(0);
    for (Operand<?> queue : tokenQueues) {
      sendToWorkers.add(ps.io.queueEnqueue(queue, List.of(message)));
    }

    if (!chief) {
      optimizer = null;
      slots = null;
      startStep = null;
      return;
    }
    Operand<TInt32> required = ps.constant(workers);
    List<OptimizerGraph.Parameter> averaged = new ArrayList<>();
    List<Op> taken = new ArrayList<>();
    for (int i = 0; i < accumulators.size(); i++) {
      OptimizerGraph.Parameter p = objective.parameters().get(i);
      Operand<TFloat32> mean = VariableDevices.place(sync, p.name()).train
          .accumulatorTakeGradient(accumulators.get(i), required, TFloat32.class).average();
      org.tensorflow.Operation producer = mean.op();
      taken.add(() -> producer);
      averaged.add(new OptimizerGraph.Parameter(p.name(), p.variable(), mean, p.weightDecay(),
          p.learningRateScale()));
    }
    Op allTaken = tf.withName("gradients_averaged").withControlDependencies(taken).noOp();
    optimizer = OptimizerGraph.build(tf, tf.withControlDependencies(List.of(allTaken)),
        config.optimizer(), averaged);
    Variable<TInt64> globalStep = ps.withName("global_step").variable(Shape.scalar(),
        TInt64.class);
    Operand<TInt64> advanced = ps.withControlDependencies(optimizer.updates())
        .assignAdd(globalStep, ps.constant(1L));
    List<Op> stepSet = new ArrayList<>();
    for (int i = 0; i < accumulators.size(); i++) {
      stepSet.add(VariableDevices.place(sync, objective.parameters().get(i).name()).train
          .accumulatorSetGlobalStep(accumulators.get(i), advanced));
    }
    updateTargets.addAll(stepSet);
    Operand<TString> token = ps.dtypes.asString(advanced);
    for (Operand<?> queue : tokenQueues) {
      updateTargets.add(ps.withControlDependencies(stepSet).io.queueEnqueue(queue,
          List.of(token)));
    }
    startStep = tf.withName("start_step").placeholder(TInt64.class,
        Placeholder.shape(Shape.scalar()));
    startTargets.add(ps.assign(globalStep, startStep));
    for (int i = 0; i < accumulators.size(); i++) {
      startTargets.add(VariableDevices.place(sync, objective.parameters().get(i).name()).train
          .accumulatorSetGlobalStep(accumulators.get(i), startStep));
    }
    for (Variable<TInt64> counter : pushed) {
      startTargets.add(ps.assign(counter, startStep));
    }
    slots = new OptimizerSlots(optimizer, model, slotAssigner);
    slots.reset();
  }

  private static Operand<?> queue(Ops ps, String name, long capacity) {
    return ps.withName(name).io.fifoQueue(List.of(TString.class),
        FifoQueue.shapes(Shape.scalar()), FifoQueue.capacity(capacity),
        FifoQueue.sharedName("netspec_" + name)).handle();
  }

  /** The chief's or another worker's part, by {@code cluster}'s task, built into {@code model}. */
  static SyncReplicas build(Model<?> model, TrainingConfig config, Set<String> fresh,
      ClusterConfig cluster, Duration timeout) {
    Objects.requireNonNull(cluster, "cluster");
    if (!cluster.task().isWorker()) {
      throw new IllegalArgumentException("a parameter server does not train");
    }
    return new SyncReplicas(model, config, Set.copyOf(fresh), cluster, timeout);
  }

  private Session.Runner runner() {
    return model.session().runner()
        .setOptions(RunOptions.newBuilder().setTimeoutInMs(timeoutMs).build());
  }

  private String seconds() {
    return Duration.ofMillis(timeoutMs).toSeconds() + " s";
  }

  // ---- start-up

  /**
   * Another worker's start: posts its {@code fingerprint} and waits for the chief's answer.
   *
   * @throws ClusterFailureException when the chief refuses it (the message says why) or does
   *     not answer within the timeout
   */
  void join(Map<String, String> fingerprint) {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("task", cluster.task().index());
    ready.put("fingerprint", fingerprint);
    try (TString text = TString.scalarOf(json(ready))) {
      run("posting worker " + cluster.task().index() + "'s start to the "
          + cluster.describeParameterServers(), runner().feed(message, text)
          .addTarget(enqueueReady));
    }
    String answer = awaitToken("its start");
    if (!answer.equals(GO)) {
      throw new ClusterFailureException(answer);
    }
  }

  /**
   * The chief's start-up, first half: waits until every other worker has joined and compares
   * their fingerprints with {@code own}.
   *
   * @throws ClusterFailureException naming the worker that did not join in time, or the first
   *     setting in which one differs, with both values
   */
  void awaitWorkers(Map<String, String> own) {
    int workers = cluster.workers().size();
    Set<Integer> missing = new TreeSet<>();
    for (int i = 1; i < workers; i++) {
      missing.add(i);
    }
    while (!missing.isEmpty()) {
      Map<String, Object> ready;
      try (Result result = runner().fetch(dequeueReady).run()) {
        ready = parse(((TString) result.get(0)).getObject());
      } catch (TensorFlowException e) {
        throw new ClusterFailureException(String.join(", ", missing.stream()
            .map(cluster::describeWorker).toList()) + (missing.size() == 1 ? " has" : " have")
            + " not joined within " + seconds() + ": start "
            + (missing.size() == 1 ? "it" : "them") + " with the same cluster and this task "
            + "index, or raise the timeout (" + firstLine(e) + ")", e);
      }
      int task = ((Number) ready.get("task")).intValue();
      @SuppressWarnings("unchecked")
      Map<String, String> theirs = (Map<String, String>) ready.get("fingerprint");
      String difference = difference(own, theirs, task);
      if (difference != null) {
        throw new ClusterFailureException(difference);
      }
      missing.remove(task);
    }
  }

  /** The first difference between the chief's fingerprint and worker {@code task}'s, or null. */
  private String difference(Map<String, String> own, Map<String, String> theirs, int task) {
    Set<String> keys = new TreeSet<>(own.keySet());
    keys.addAll(theirs.keySet());
    for (String key : keys) {
      String mine = own.get(key);
      String other = theirs.get(key);
      if (!Objects.equals(mine, other)) {
        return cluster.describeWorker(task) + " was started with " + key + " = " + other
            + ", the chief with " + key + " = " + mine + ": start every worker with the same "
            + "network, settings, data and cluster (and the same checkpoint to resume)";
      }
    }
    return null;
  }

  /**
   * The chief's start-up, second half, once the weights are in place (fresh or restored): sets
   * the global step to {@code step} and lets every worker go.
   */
  void release(long step) {
    try (TInt64 start = TInt64.scalarOf(step)) {
      Session.Runner runner = runner().feed(startStep, start);
      startTargets.forEach(runner::addTarget);
      run("setting the global step on the " + cluster.describeParameterServers(), runner);
    }
    send(GO);
  }

  private void send(String text) {
    if (sendToWorkers.isEmpty()) {
      return;
    }
    try (TString value = TString.scalarOf(text)) {
      Session.Runner runner = runner().feed(message, value);
      sendToWorkers.forEach(runner::addTarget);
      run("posting to the workers' queues on the " + cluster.describeParameterServers(), runner);
    }
  }

  /** The chief: the run ended; the parameter servers may stop. */
  void finish() {
    post(ParameterServer.FINISHED);
  }

  /**
   * The chief: the run failed with {@code reason}; tells the other workers and the parameter
   * server, as far as they can still be reached.
   */
  void stop(String reason) {
    try {
      send(STOPPED + reason);
    } catch (RuntimeException e) {
      // parameter server 0 is gone: the workers time out by themselves
    }
    for (int k = 0; k < postDone.size(); k++) {
      try {
        post(k, ParameterServer.FAILED + reason);
      } catch (RuntimeException e) {
        // that one is gone: nothing left to tell it
      }
    }
  }

  private void post(String text) {
    for (int k = 0; k < postDone.size(); k++) {
      post(k, text);
    }
  }

  private void post(int server, String text) {
    try (TString value = TString.scalarOf(text)) {
      run("posting the end to the " + cluster.describeParameterServer(server),
          runner().feed(message, value).addTarget(postDone.get(server)));
    }
  }

  // ---- steps

  /**
   * Computes this worker's gradients of its batch at {@code step} and pushes them; the chief also
   * updates the BatchNorm statistics. The loss and hits are those of the weights of {@code step}.
   */
  TrainingGraph.StepResult push(TFloat32 images, TInt32 labels, long step) {
    Session.Runner runner = objective.feedBatch(runner(), model, images, labels);
    long dropout = cluster.isChief() ? TrainingGraph.mix(seed, step)
        : TrainingGraph.mix(TrainingGraph.mix(seed, -cluster.task().index()), step);
    try (TInt64 local = TInt64.scalarOf(step); TInt64 seedValue = TInt64.scalarOf(dropout)) {
      runner.feed(localStep, local);
      if (objective.dropoutSeed() != null) {
        runner.feed(objective.dropoutSeed(), seedValue);
      }
      pushTargets.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return Objective.stepResult(result, labels);
      } catch (TensorFlowException e) {
        throw new ClusterFailureException(cluster.describeWorker(cluster.task().index())
            + " could not push its gradients of step " + step + " to the "
            + cluster.describeParameterServers() + ": " + firstLine(e), e);
      }
    }
  }

  /**
   * The chief's update of {@code step}: takes the mean of every worker's gradients, applies the
   * optimizer at {@code rate}, advances the global step and lets the other workers go on.
   *
   * @throws ClusterFailureException naming the workers that did not push within the timeout
   */
  void update(long step, double rate) {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      Session.Runner runner = runner();
      optimizer.feed(runner, owned, step + 1, rate);
      updateTargets.forEach(runner::addTarget);
      runner.run().close();
    } catch (TensorFlowException e) {
      throw new ClusterFailureException(lagging(step, e), e);
    } finally {
      OptimizerGraph.close(owned);
    }
  }

  /** Which workers had not pushed {@code step} when its take failed with {@code cause}. */
  private String lagging(long step, TensorFlowException cause) {
    List<String> late = new ArrayList<>();
    try (Result result = withPushed(runner())) {
      for (int i = 0; i < pushed.size(); i++) {
        long last = ((TInt64) result.get(i)).getLong() - 1;
        if (last < step) {
          late.add(cluster.describeWorker(i) + ", whose last step pushed was "
              + (last < 0 ? "none" : last) + ",");
        }
      }
    } catch (TensorFlowException e) {
      return "the " + cluster.describeParameterServers() + " did not answer at step " + step
          + ": " + firstLine(e);
    }
    if (late.isEmpty()) {
      return "the update of step " + step + " failed on the "
          + cluster.describeParameterServers() + ": " + firstLine(cause);
    }
    return String.join(" and ", late) + " did not push " + (late.size() == 1 ? "its" : "their")
        + " gradients of step " + step + " within " + seconds() + ": "
        + (late.size() == 1 ? "it" : "they") + " stopped or cannot reach the "
        + cluster.describeParameterServers();
  }

  private Result withPushed(Session.Runner runner) {
    pushed.forEach(runner::fetch);
    return runner.run();
  }

  /**
   * Another worker: waits for the chief's token after pushing, the next step's number.
   *
   * @throws ClusterFailureException when the chief stopped the run or sent nothing within the
   *     timeout
   */
  long awaitNext(long step) {
    String token = awaitToken("the update of step " + step);
    try {
      return Long.parseLong(token);
    } catch (NumberFormatException e) {
      throw new ClusterFailureException(token);
    }
  }

  private String awaitToken(String what) {
    try (Result result = runner().fetch(takeToken).run()) {
      return ((TString) result.get(0)).getObject();
    } catch (TensorFlowException e) {
      throw new ClusterFailureException("the chief, " + cluster.describeWorker(0) + ", did not "
          + "answer for " + what + " within " + seconds() + ": it stopped, or its validation "
          + "and checkpoint take longer than the timeout (" + firstLine(e) + ")", e);
    }
  }

  // ---- TrainingStep, the chief's

  @Override
  public TrainingGraph.StepResult step(TFloat32 images, TInt32 labels, long step, double rate) {
    TrainingGraph.StepResult result = push(images, labels, step);
    update(step, rate);
    return result;
  }

  @Override
  public OptimizerSlots slots() {
    return slots;
  }

  // ---- helpers

  private void run(String what, Session.Runner runner) {
    try {
      runner.run().close();
    } catch (TensorFlowException e) {
      throw new ClusterFailureException(what + " failed: " + firstLine(e), e);
    }
  }

  private static String firstLine(Exception e) {
    String text = String.valueOf(e.getMessage()).strip();
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> parse(String text) {
    try {
      return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new ClusterFailureException("a worker's start message is not JSON: " + text, e);
    }
  }
}
