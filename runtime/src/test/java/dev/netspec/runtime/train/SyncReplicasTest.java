package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.TinyNet;
import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.cluster.LoopbackCluster;
import dev.netspec.runtime.cluster.ParameterServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Two workers and one or two parameter servers on loopback, threads of this JVM: after three
 * synchronous steps the variables on the parameter servers equal those of one process that
 * computes both batches' gradients on the same weights, averages them and applies SGD itself,
 * and whose
 * BatchNorm statistics follow the chief's batches alone (every forward pass in training updates
 * them, so the reference undoes what the other batch did).
 */
class SyncReplicasTest {
  private static final int STEPS = 3;
  private static final int BATCH = 4;
  private static final long SEED = 7;
  private static final double RATE = 0.2;
  private static final TrainingConfig CONFIG = new TrainingConfig(1, BATCH,
      Optimizer.sgd(0, false), new Schedule.Constant(RATE), 0, false, 0.1, SEED, 1);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @ParameterizedTest(name = "{0} parameter servers")
  @ValueSource(ints = {1, 2})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void twoWorkersStepAsOneProcessAveragingTheirGradients(int servers) throws Exception {
    LoopbackCluster cluster = new LoopbackCluster(2, servers);
    List<float[]> images = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 2 * STEPS; i++) {
      float[] x = new float[BATCH * 8 * 8 * 3];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) random.nextGaussian();
      }
      images.add(x);
      labels.add(random.ints(BATCH, 0, 2).toArray());
    }
    List<CompletableFuture<String>> parameterServers = new ArrayList<>();
    for (int k = 0; k < servers; k++) {
      ClusterConfig own = cluster.parameterServer(k);
      parameterServers.add(CompletableFuture.supplyAsync(() -> ParameterServer.serve(own)));
    }
    CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
      ClusterConfig own = cluster.worker(1);
      own.startServer();
      try (Model<TinyNet> model = create(own)) {
        SyncReplicas replicas = SyncReplicas.build(model, CONFIG, Set.of(), own, TIMEOUT);
        replicas.join(Map.of("network", "tiny"));
        for (long step = 0; step < STEPS; step++) {
          try (TFloat32 x = images(images.get(2 * (int) step + 1));
              TInt32 y = labels(labels.get(2 * (int) step + 1))) {
            replicas.push(x, y, step);
          }
          assertEquals(step + 1, replicas.awaitNext(step));
        }
      }
    });

    Map<String, float[]> distributed = new LinkedHashMap<>();
    ClusterConfig chief = cluster.worker(0);
    chief.startServer();
    try (Model<TinyNet> model = create(chief)) {
      SyncReplicas replicas = SyncReplicas.build(model, CONFIG, Set.of(), chief, TIMEOUT);
      replicas.awaitWorkers(Map.of("network", "tiny"));
      replicas.release(0);
      for (long step = 0; step < STEPS; step++) {
        try (TFloat32 x = images(images.get(2 * (int) step));
            TInt32 y = labels(labels.get(2 * (int) step))) {
          replicas.step(x, y, step, RATE);
        }
      }
      worker.get(60, TimeUnit.SECONDS);
      readAll(model, distributed);
      replicas.finish();
    }
    for (CompletableFuture<String> server : parameterServers) {
      assertEquals(ParameterServer.FINISHED, server.get(30, TimeUnit.SECONDS));
    }

    Map<String, float[]> reference = reference(images, labels);
    assertEquals(reference.keySet(), distributed.keySet());
    for (Map.Entry<String, float[]> e : reference.entrySet()) {
      float[] expected = e.getValue();
      float[] actual = distributed.get(e.getKey());
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-5, e.getKey() + "[" + i + "]");
      }
    }
    // the steps moved the weights: the comparison is not of two initial states
    try (Model<TinyNet> initial = Model.create(TinyNet.DESCRIPTOR, Mode.TRAIN, SEED)) {
      Map<String, float[]> start = new LinkedHashMap<>();
      readAll(initial, start);
      assertTrue(Math.abs(start.get("fc.weight")[0] - distributed.get("fc.weight")[0]) > 1e-4);
    }
  }

  private static Model<TinyNet> create(ClusterConfig cluster) {
    return Model.create(TinyNet.DESCRIPTOR, Mode.TRAIN, SEED,
        ModelOptions.defaults().withCluster(cluster.placement()));
  }

  /**
   * One process: the gradients of both workers' batches at the same weights, averaged, and SGD
   * applied here; the BatchNorm statistics updated by the chief's batches.
   */
  private static Map<String, float[]> reference(List<float[]> images, List<int[]> labels) {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.TRAIN, SEED)) {
      Ops tf = Ops.create(model.graph()).withSubScope("reference");
      Placeholder<TInt32> y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> loss = tf.math.mean(Losses.softmaxCrossEntropy(tf,
          model.network().output(), y, CONFIG.labelSmoothing()), tf.constant(0));
      Map<String, Variable<TFloat32>> trainable = model.network().trainableVariables();
      Output<?>[] gradients = model.graph().addGradients(loss.asOutput(), trainable.values()
          .stream().map(Variable::asOutput).toArray(Output<?>[]::new));
      List<String> names = List.copyOf(trainable.keySet());
      for (int step = 0; step < STEPS; step++) {
        float[][] sum = null;
        // worker 1's batch first, its statistics undone: they are the chief's alone
        Map<String, TFloat32> statistics = statistics(model);
        for (int w = 1; w >= 0; w--) {
          if (w == 0) {
            model.assign(statistics);
            statistics.values().forEach(TFloat32::close);
          }
          try (TFloat32 x = images(images.get(2 * step + w));
              TInt32 t = labels(labels.get(2 * step + w))) {
            Session.Runner runner = model.session().runner().feed(model.images(), x).feed(y, t);
            for (Output<?> g : gradients) {
              runner.fetch(g);
            }
            try (Result result = runner.run()) {
              if (sum == null) {
                sum = new float[names.size()][];
              }
              for (int i = 0; i < names.size(); i++) {
                float[] g = values((TFloat32) result.get(i));
                if (sum[i] == null) {
                  sum[i] = g;
                } else {
                  for (int j = 0; j < g.length; j++) {
                    sum[i][j] += g[j];
                  }
                }
              }
            }
          }
        }
        for (int i = 0; i < names.size(); i++) {
          try (TFloat32 current = model.read(names.get(i))) {
            float[] w = values(current);
            for (int j = 0; j < w.length; j++) {
              w[j] -= (float) (RATE * sum[i][j] / 2);
            }
            try (TFloat32 updated = TFloat32.tensorOf(current.shape(),
                DataBuffers.of(w, true, false))) {
              model.assign(names.get(i), updated);
            }
          }
        }
      }
      Map<String, float[]> values = new LinkedHashMap<>();
      readAll(model, values);
      return values;
    }
  }

  private static Map<String, TFloat32> statistics(Model<?> model) {
    Map<String, TFloat32> values = new LinkedHashMap<>();
    model.variables().entries().stream().filter(e -> !e.trainable())
        .forEach(e -> values.put(e.name(), model.read(e.name())));
    return values;
  }

  private static void readAll(Model<?> model, Map<String, float[]> into) {
    Map<String, TFloat32> all = model.readAll();
    try {
      all.forEach((name, value) -> into.put(name, values(value)));
    } finally {
      all.values().forEach(TFloat32::close);
    }
  }

  private static float[] values(TFloat32 tensor) {
    float[] values = new float[Math.toIntExact(tensor.shape().size())];
    tensor.copyTo(DataBuffers.of(values, false, false));
    return values;
  }

  private static TFloat32 images(float[] x) {
    return TFloat32.tensorOf(Shape.of(BATCH, 8, 8, 3), DataBuffers.of(x, true, false));
  }

  private static TInt32 labels(int[] y) {
    return TInt32.tensorOf(Shape.of(BATCH), DataBuffers.of(y, true, false));
  }
}
