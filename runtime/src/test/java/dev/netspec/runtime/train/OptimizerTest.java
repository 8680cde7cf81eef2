package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.layers.Layers;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Two steps of each optimizer on a linear classifier agree with PyTorch's update rules computed
 * here in double precision: label-smoothed cross-entropy gradients, weight decay on the weight
 * but not the bias, SGD's Nesterov momentum, Adam's bias corrections and AdamW's decoupled decay.
 */
class OptimizerTest {
  private static final int N = 4;
  private static final int IN = 2;
  private static final int K = 3;
  private static final double SMOOTHING = 0.1;
  private static final double DECAY = 0.05;
  private static final double RATE = 0.1;

  record Linear(Operand<TFloat32> output, VariableStore variables) implements NetworkGraph {}

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "nesterov", "adam", "adamw"})
  void twoStepsFollowPyTorchsRules(String kind) {
    Optimizer optimizer = switch (kind) {
      case "sgd" -> Optimizer.sgd(0.9, false);
      case "nesterov" -> Optimizer.sgd(0.9, true);
      case "adam" -> Optimizer.adam();
      default -> Optimizer.adamW();
    };
    TrainingConfig config = new TrainingConfig(1, N, optimizer, new Schedule.Constant(RATE),
        DECAY, false, SMOOTHING, 1, 1);
    SplittableRandom random = new SplittableRandom(5);
    float[] x = new float[N * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    int[] labels = {0, 2, 1, 2};
    try (Model<Linear> model = Model.create((tf, images, mode) -> {
          Layers layers = Layers.create(tf, mode);
          return new Linear(layers.in("fc").linear(layers.flatten(images), K, true),
              layers.store());
        }, IN, 1, 1, Mode.TRAIN, 3L);
        TFloat32 images = TFloat32.tensorOf(Shape.of(N, 1, 1, IN), DataBuffers.of(x, true, false));
        TInt32 targets = TInt32.tensorOf(Shape.of(N), DataBuffers.of(labels, true, false))) {
      double[] w = read(model, "fc.weight");
      double[] b = read(model, "fc.bias");
      Reference reference = new Reference(optimizer, w, b);
      TrainingGraph training = TrainingGraph.build(model, config);
      for (int step = 0; step < 2; step++) {
        TrainingGraph.StepResult result = training.step(images, targets, step, RATE);
        double loss = reference.step(x, labels, step + 1);
        assertEquals(loss, result.loss(), 1e-5, kind + " loss at step " + step);
      }
      for (String slot : training.slots().shapes().keySet()) {
        // optimizer.<kind>.<parameter>: one name scope per kind, not one per parameter
        String op = "training/" + slot.replaceFirst("\\.", "/").replaceFirst("\\.", "/");
        assertNotNull(model.graph().operation(op), op);
      }
      double[] tw = read(model, "fc.weight");
      double[] tb = read(model, "fc.bias");
      for (int i = 0; i < tw.length; i++) {
        assertEquals(reference.w[i], tw[i], 1e-5, kind + " weight " + i);
      }
      for (int i = 0; i < tb.length; i++) {
        assertEquals(reference.b[i], tb[i], 1e-5, kind + " bias " + i);
      }
    }
  }

  private static double[] read(Model<?> model, String name) {
    try (TFloat32 t = model.read(name)) {
      float[] v = new float[Math.toIntExact(t.shape().size())];
      t.copyTo(DataBuffers.of(v, false, false));
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      return d;
    }
  }

  /** PyTorch's optimizers, step by step, on weight [IN, K] and bias [K]. */
  private static final class Reference {
    final Optimizer optimizer;
    final double[] w;
    final double[] b;
    final double[][] m = new double[2][];
    final double[][] v = new double[2][];

    Reference(Optimizer optimizer, double[] w, double[] b) {
      this.optimizer = optimizer;
      this.w = w;
      this.b = b;
      m[0] = new double[w.length];
      m[1] = new double[b.length];
      v[0] = new double[w.length];
      v[1] = new double[b.length];
    }

    /** One step with update number {@code t}; returns the loss before it. */
    double step(float[] x, int[] labels, int t) {
      double[] gw = new double[w.length];
      double[] gb = new double[b.length];
      double loss = 0;
      for (int n = 0; n < N; n++) {
        double[] logits = new double[K];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < K; k++) {
          logits[k] = b[k];
          for (int i = 0; i < IN; i++) {
            logits[k] += x[n * IN + i] * w[i * K + k];
          }
          max = Math.max(max, logits[k]);
        }
        double sum = 0;
        for (int k = 0; k < K; k++) {
          sum += Math.exp(logits[k] - max);
        }
        for (int k = 0; k < K; k++) {
          double p = Math.exp(logits[k] - max) / sum;
          double target = (k == labels[n] ? 1 - SMOOTHING : 0) + SMOOTHING / K;
          loss -= target * (logits[k] - max - Math.log(sum)) / N;
          double g = (p - target) / N;
          gb[k] += g;
          for (int i = 0; i < IN; i++) {
            gw[i * K + k] += x[n * IN + i] * g;
          }
        }
      }
      update(0, w, gw, DECAY, t);
      update(1, b, gb, 0, t); // biases are not decayed
      return loss;
    }

    private void update(int slot, double[] p, double[] g, double decay, int t) {
      for (int i = 0; i < p.length; i++) {
        if (optimizer instanceof Optimizer.Sgd sgd) {
          double d = g[i] + decay * p[i];
          m[slot][i] = sgd.momentum() * m[slot][i] + d;
          d = sgd.nesterov() ? d + sgd.momentum() * m[slot][i] : m[slot][i];
          p[i] -= RATE * d;
        } else {
          Optimizer.Adam adam = (Optimizer.Adam) optimizer;
          double d = g[i];
          if (adam.decoupledWeightDecay()) {
            p[i] *= 1 - RATE * decay;
          } else {
            d += decay * p[i];
          }
          m[slot][i] = adam.beta1() * m[slot][i] + (1 - adam.beta1()) * d;
          v[slot][i] = adam.beta2() * v[slot][i] + (1 - adam.beta2()) * d * d;
          double c1 = 1 - Math.pow(adam.beta1(), t);
          double c2 = 1 - Math.pow(adam.beta2(), t);
          p[i] -= RATE / c1 * m[slot][i] / (Math.sqrt(v[slot][i]) / Math.sqrt(c2) + adam.epsilon());
        }
      }
    }
  }
}
