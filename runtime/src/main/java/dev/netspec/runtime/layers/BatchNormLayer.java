package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.require;

import dev.netspec.runtime.Init;
import dev.netspec.runtime.Mode;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * PyTorch's {@code BatchNorm2d} over the last axis ({@code BatchNorm1d} for {@code [N, C]}).
 * Variables {@code weight} (ones), {@code bias} (zeros), {@code running_mean} (zeros) and {@code
 * running_var} (ones), the last two not trainable. In TRAIN it normalizes with the batch mean and
 * biased batch variance and updates {@code running = (1 - momentum) · running + momentum · batch}
 * (unbiased variance for {@code running_var}); the updates are control dependencies of the output
 * and are listed in the build's {@link dev.netspec.runtime.VariableStore#updateOps()}. In
 * INFERENCE it normalizes with the running statistics: those of the graph, which a TRAIN build of
 * the same network in the same graph updates.
 */
final class BatchNormLayer {

  /**
   * A BatchNorm in training: its output (which waits for the running statistics' updates) and
   * the {@code FusedBatchNormV3} op, whose reserve outputs hold the batch statistics its gradient
   * reads.
   */
  record TrainingNorm(Operand<TFloat32> y, FusedBatchNorm<TFloat32, TFloat32> op) {}

  private record NormVariables(Variable<TFloat32> gamma, Variable<TFloat32> beta,
      Variable<TFloat32> runningMean, Variable<TFloat32> runningVar) {}

  private BatchNormLayer() {}

  /** The BatchNorm of {@code x} for the scope's mode. */
  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, float epsilon,
      float momentum) {
    Ops tf = scope.tf();
    if (x.shape().numDimensions() == 2 && x.shape().get(1) > 0) {
      // [N, C] (after a dense layer): BatchNorm1d, computed as [N, 1, 1, C]
      long c = x.shape().get(1);
      Operand<TFloat32> y = apply(scope, tf.reshape(x, tf.constant(new long[] {-1, 1, 1, c})),
          epsilon, momentum);
      return tf.reshape(y, tf.constant(new long[] {-1, c}));
    }
    NormVariables v = variables(scope, x, epsilon, momentum);
    if (!scope.training()) {
      // one op that Grappler fuses into the convolution before it (and the ReLU after it)
      return tf.nn.fusedBatchNorm(x, scope.read(v.gamma()), scope.read(v.beta()),
          scope.read(v.runningMean()), scope.read(v.runningVar()),
          FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(false),
          FusedBatchNorm.dataFormat("NHWC")).y();
    }
    return normalizeInTraining(scope, x, v, epsilon, momentum).y();
  }

  /** The BatchNorm of an NHWC tensor in {@link Mode#TRAIN}, with its op. */
  static TrainingNorm training(NetworkScope scope, Operand<TFloat32> x, float epsilon,
      float momentum) {
    require(scope.training(),
        "a BatchNorm in training needs a network built for TRAIN, not " + scope.mode());
    return normalizeInTraining(scope, x, variables(scope, x, epsilon, momentum), epsilon,
        momentum);
  }

  private static TrainingNorm normalizeInTraining(NetworkScope scope, Operand<TFloat32> x,
      NormVariables v, float epsilon, float momentum) {
    Ops tf = scope.tf();
    Operand<TFloat32> empty = tf.constant(new float[0]);
    // FusedBatchNormV3 in training: y uses the biased variance, batchVariance is the unbiased one
    FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, scope.read(v.gamma()),
        scope.read(v.beta()), empty, empty, FusedBatchNorm.epsilon(epsilon),
        FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NHWC"));
    Op updateMean = movingAverage(scope, v.runningMean(), bn.batchMean(), momentum);
    Op updateVar = movingAverage(scope, v.runningVar(), bn.batchVariance(), momentum);
    scope.store().addUpdateOp(updateMean);
    scope.store().addUpdateOp(updateVar);
    return new TrainingNorm(
        tf.withControlDependencies(List.of(updateMean, updateVar)).identity(bn.y()), bn);
  }

  /** Checks a BatchNorm's arguments and gets its variables. */
  private static NormVariables variables(NetworkScope scope, Operand<TFloat32> x, float epsilon,
      float momentum) {
    int c = Tensors.channels(x, "batchNorm");
    require(epsilon > 0, "batchNorm: epsilon must be > 0, got " + epsilon);
    require(momentum >= 0 && momentum <= 1, "batchNorm: momentum must be in [0, 1], got "
        + momentum);
    Shape shape = Shape.of(c);
    return new NormVariables(scope.variable("weight", shape, Init.ones(), true),
        scope.variable("bias", shape, Init.zeros(), true),
        scope.variable("running_mean", shape, Init.zeros(), false),
        scope.variable("running_var", shape, Init.ones(), false));
  }

  private static Op movingAverage(NetworkScope scope, Variable<TFloat32> running,
      Operand<TFloat32> batch, float momentum) {
    Ops tf = scope.tf();
    Operand<TFloat32> value = tf.math.add(
        tf.math.mul(tf.constant(1f - momentum), scope.read(running)),
        tf.math.mul(tf.constant(momentum), tf.stopGradient(batch)));
    return tf.assign(running, value);
  }
}
