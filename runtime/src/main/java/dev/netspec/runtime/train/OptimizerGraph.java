package dev.netspec.runtime.train;

import dev.netspec.runtime.VariableAssigner;
import dev.netspec.runtime.layers.VariableDevices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * One optimizer step built into a training graph: the update op of every parameter and the
 * optimizer's state ("slots": SGD's momentum buffers, Adam's moment estimates), which are graph
 * variables named like PyTorch's state ({@code optimizer.momentum_buffer.<parameter>}, {@code
 * optimizer.exp_avg.<parameter>}, {@code optimizer.exp_avg_sq.<parameter>}) so that checkpoints
 * carry them by name. The learning rate and Adam's bias corrections are fed per step.
 */
final class OptimizerGraph {

  /**
   * A trainable variable with its gradient, its weight-decay coefficient, and the factor on the
   * learning rate it learns at (below 1 for the pretrained part of a fine-tuned network).
   */
  record Parameter(String name, Variable<TFloat32> variable, Operand<TFloat32> gradient,
      float weightDecay, float learningRateScale) {}

  /** A state variable of the optimizer. */
  record Slot(String name, Variable<TFloat32> variable, Shape shape) {}

  private final Optimizer optimizer;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> stepSize;
  private final Placeholder<TFloat32> biasCorrection2Sqrt;
  private final List<Op> updates = new ArrayList<>();
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Ops scope;
  /**
   * One name scope per kind of slot, made once: TensorFlow Java's {@code withSubScope} reads
   * every operation of the graph, so a sub-scope per parameter would cost time quadratic in the
   * size of a training graph (half a minute for DenseNet-121).
   */
  private final Map<String, Ops> slotScopes = new HashMap<>();
  /** The fed learning rate and Adam's step size times each scale in use, made once per scale. */
  private final Map<Float, Operand<TFloat32>> scaledRates = new HashMap<>();
  private final Map<Float, Operand<TFloat32>> scaledSteps = new HashMap<>();

  private OptimizerGraph(Ops tf, Optimizer optimizer) {
    this.optimizer = optimizer;
    scope = tf.withSubScope("optimizer");
    learningRate = scope.withName("learning_rate")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    boolean adam = optimizer instanceof Optimizer.Adam;
    stepSize = adam ? scope.withName("step_size")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())) : null;
    biasCorrection2Sqrt = adam ? scope.withName("bias_correction2_sqrt")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())) : null;
  }

  /**
   * Builds the state variables with {@code tf} and the updates of {@code parameters} with {@code
   * afterGradients}, whose control dependencies should hold every gradient: no variable changes
   * before all of them are computed.
   */
  static OptimizerGraph build(
      Ops tf, Ops afterGradients, Optimizer optimizer, List<Parameter> parameters) {
    OptimizerGraph graph = new OptimizerGraph(tf, optimizer);
    for (Parameter p : parameters) {
      if (optimizer instanceof Optimizer.Sgd sgd) {
        graph.sgd(afterGradients, sgd, p);
      } else {
        graph.adam(afterGradients, (Optimizer.Adam) optimizer, p);
      }
    }
    return graph;
  }

  private void sgd(Ops tf, Optimizer.Sgd sgd, Parameter p) {
    Operand<TFloat32> gradient = decayed(tf, p);
    Operand<TFloat32> rate = scaled(scaledRates, learningRate, p.learningRateScale());
    if (sgd.momentum() == 0) {
      updates.add(tf.train.applyGradientDescent(p.variable(), rate, gradient));
      return;
    }
    Variable<TFloat32> buffer = slot("momentum_buffer", p);
    // buffer = μ·buffer + g; parameter -= lr·buffer, or lr·(g + μ·buffer) with Nesterov: PyTorch's
    updates.add(tf.train.applyMomentum(p.variable(), buffer, rate, gradient,
        tf.constant((float) sgd.momentum()), ApplyMomentum.useNesterov(sgd.nesterov())));
  }

  private void adam(Ops tf, Optimizer.Adam adam, Parameter p) {
    Operand<TFloat32> gradient = adam.decoupledWeightDecay() ? p.gradient() : decayed(tf, p);
    Variable<TFloat32> m = slot("exp_avg", p);
    Variable<TFloat32> v = slot("exp_avg_sq", p);
    float beta1 = (float) adam.beta1();
    float beta2 = (float) adam.beta2();
    Operand<TFloat32> mNew = tf.math.add(tf.math.mul(tf.constant(beta1), tf.identity(m)),
        tf.math.mul(tf.constant(1 - beta1), gradient));
    Operand<TFloat32> vNew = tf.math.add(tf.math.mul(tf.constant(beta2), tf.identity(v)),
        tf.math.mul(tf.constant(1 - beta2), tf.math.square(gradient)));
    // PyTorch: p -= lr / (1 - β1^t) · m / (√v / √(1 - β2^t) + ε)
    Operand<TFloat32> denominator = tf.math.add(
        tf.math.div(tf.math.sqrt(vNew), biasCorrection2Sqrt), tf.constant((float) adam.epsilon()));
    Operand<TFloat32> value = tf.identity(p.variable());
    if (adam.decoupledWeightDecay() && p.weightDecay() > 0) {
      // AdamW shrinks the weights first: p *= 1 - lr·λ
      value = tf.math.mul(value, tf.math.sub(tf.constant(1f), tf.math.mul(
          scaled(scaledRates, learningRate, p.learningRateScale()),
          tf.constant(p.weightDecay()))));
    }
    Operand<TFloat32> step = scaled(scaledSteps, stepSize, p.learningRateScale());
    Operand<TFloat32> updated =
        tf.math.sub(value, tf.math.mul(step, tf.math.div(mNew, denominator)));
    updates.add(tf.assign(m, mNew));
    updates.add(tf.assign(v, vNew));
    updates.add(tf.assign(p.variable(), updated));
  }

  /** The gradient plus {@code λ·p} (L2 weight decay as PyTorch's optimizers add it). */
  private static Operand<TFloat32> decayed(Ops tf, Parameter p) {
    if (p.weightDecay() == 0) {
      return p.gradient();
    }
    return tf.math.add(p.gradient(),
        tf.math.mul(tf.constant(p.weightDecay()), tf.identity(p.variable())));
  }

  /** {@code rate · scale}: the fed rate itself at scale 1. */
  private Operand<TFloat32> scaled(Map<Float, Operand<TFloat32>> made, Placeholder<TFloat32> rate,
      float scale) {
    if (scale == 1f) {
      return rate;
    }
    return made.computeIfAbsent(scale, s -> scope.math.mul(rate, scope.constant(s)));
  }

  private Variable<TFloat32> slot(String kind, Parameter p) {
    Shape shape = p.variable().shape();
    // beside its parameter: the update op reads both, and must run where they are
    Variable<TFloat32> variable = VariableDevices.place(
        slotScopes.computeIfAbsent(kind, scope::withSubScope), p.name()).withName(p.name())
        .variable(shape, TFloat32.class);
    String name = "optimizer." + kind + "." + p.name();
    slots.put(name, new Slot(name, variable, shape));
    return variable;
  }

  /**
   * Feeds the learning rate and bias corrections of the 1-based update number {@code t}; the
   * tensors it makes go to {@code owned}, for {@link #close} after the run.
   */
  void feed(Session.Runner runner, List<AutoCloseable> owned, long t, double rate) {
    TFloat32 lr = TFloat32.scalarOf((float) rate);
    owned.add(lr);
    runner.feed(learningRate, lr);
    if (optimizer instanceof Optimizer.Adam adam) {
      double correction1 = 1 - Math.pow(adam.beta1(), t);
      double correction2 = 1 - Math.pow(adam.beta2(), t);
      TFloat32 size = TFloat32.scalarOf((float) (rate / correction1));
      TFloat32 sqrt2 = TFloat32.scalarOf((float) Math.sqrt(correction2));
      owned.add(size);
      owned.add(sqrt2);
      runner.feed(stepSize, size).feed(biasCorrection2Sqrt, sqrt2);
    }
  }

  List<Op> updates() {
    return Collections.unmodifiableList(updates);
  }

  /** The slots' names and shapes, in creation order. */
  Map<String, Shape> slotShapes() {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    slots.values().forEach(s -> shapes.put(s.name(), s.shape()));
    return shapes;
  }

  /** The slots' values by name, read in {@code session}; the caller closes the tensors. */
  Map<String, TFloat32> readSlots(Session session) {
    Map<String, TFloat32> values = new LinkedHashMap<>();
    List<Slot> all = List.copyOf(slots.values());
    if (all.isEmpty()) {
      return values;
    }
    Session.Runner runner = session.runner();
    all.forEach(s -> runner.fetch(s.variable()));
    try (Result result = runner.run()) {
      for (int i = 0; i < all.size(); i++) {
        TFloat32 value = (TFloat32) result.get(i);
        values.put(all.get(i).name(), TFloat32.tensorOf(value.shape(), value::copyTo));
      }
    }
    return values;
  }

  /** Sets slots by name in {@code session}; shapes must match. The caller keeps the tensors. */
  void assignSlots(Session session, VariableAssigner assigner,
      Map<String, ? extends TFloat32> values) {
    if (values.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    for (Map.Entry<String, ? extends TFloat32> e : values.entrySet()) {
      Slot slot = slots.get(e.getKey());
      if (slot == null) {
        throw new IllegalArgumentException("the optimizer has no state '" + e.getKey() + "'");
      }
      if (!slot.shape().equals(e.getValue().shape())) {
        throw new IllegalArgumentException("optimizer state '" + slot.name() + "' has shape "
            + slot.shape() + ", the value given has shape " + e.getValue().shape());
      }
      assigner.feed(runner, slot.name(), slot.variable(), e.getValue());
    }
    runner.run().close();
  }

  /** Zeroes every slot in {@code session}, as at the start of a run. */
  void resetSlots(Session session, VariableAssigner assigner) {
    Map<String, TFloat32> zeros = new LinkedHashMap<>();
    try {
      slots.values().forEach(s -> zeros.put(s.name(), TFloat32.tensorOf(s.shape(),
          DataBuffers.of(new float[Math.toIntExact(s.shape().size())], true, false))));
      assignSlots(session, assigner, zeros);
    } finally {
      zeros.values().forEach(TFloat32::close);
    }
  }

  /** The slots by name, in creation order. */
  Map<String, Slot> slots() {
    return Collections.unmodifiableMap(slots);
  }

  /** Closes the tensors that {@link #feed} made. */
  static void close(List<AutoCloseable> owned) {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
