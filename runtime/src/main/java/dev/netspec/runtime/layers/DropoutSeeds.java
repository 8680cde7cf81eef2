package dev.netspec.runtime.layers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniformInt;
import org.tensorflow.types.TInt64;

/**
 * The seeds of one build's dropout masks. A mask is a stateless function of a pair: the op's own
 * constant (a hash of its scope plus a count of the dropouts the build made before it) and the
 * graph's {@link #INPUT}, which a trainer feeds per step. A resumed run thus draws exactly the
 * masks an uninterrupted one would.
 */
final class DropoutSeeds {

  /**
   * The name of the graph's int64 scalar input that seeds every dropout mask of one run, present
   * once a network has a dropout in TRAIN. Unfed, it is drawn afresh on every run.
   */
  static final String INPUT = "dropout_seed";

  /** The seed of the input's default, drawn when nothing is fed. */
  private static final long DEFAULT_SEED = 0x6E657473L;

  private final Ops root;
  private int made;
  private Operand<TInt64> input;

  /** Seeds for a build whose root scope is {@code root}. */
  DropoutSeeds(Ops root) {
    this.root = root;
  }

  /** The seed pair of the next dropout op, built in {@code tf}, whose scope is {@code prefix}. */
  Operand<TInt64> next(Ops tf, String prefix) {
    long opSeed = fnv64(prefix) + 31L * made++;
    return tf.stack(List.of(tf.constant(opSeed), input()));
  }

  /**
   * The graph's seed input, found on first use: the one an earlier build made, else a new one at
   * this build's root.
   */
  private Operand<TInt64> input() {
    if (input == null) {
      GraphOperation existing = root.scope().env() instanceof Graph graph
          ? graph.operation(INPUT) : null;
      input = existing != null ? existing.output(0) : newInput();
    }
    return input;
  }

  private Operand<TInt64> newInput() {
    Operand<TInt64> drawn = root.random.randomUniformInt(root.constant(new int[0]),
        root.constant(0L), root.constant(Long.MAX_VALUE), RandomUniformInt.seed(DEFAULT_SEED),
        RandomUniformInt.seed2(1L));
    return root.withName(INPUT).placeholderWithDefault(drawn, Shape.scalar());
  }

  private static long fnv64(String s) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
