package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The ops of channel attention without variables: attention logits turned into weights across
 * parts (timm's {@code RadixSoftmax}), and parts weighted and summed.
 */
final class Attention {
  private Attention() {}

  /**
   * Logits {@code [N, 1, 1, cardinality · radix · C / cardinality]} (cardinal-group-major, as a
   * grouped 1×1 convolution yields them) to weights {@code [N, 1, 1, radix · C]} (radix-major: part
   * {@code r} is channels {@code [r·C, (r+1)·C)}), each a softmax across the radix within its
   * cardinal group: timm's {@code RadixSoftmax}, and with one group a selective kernel's softmax
   * across its branches.
   */
  static Operand<TFloat32> radixSoftmax(Ops tf, Operand<TFloat32> logits, int radix,
      int cardinality) {
    int total = Tensors.channels(logits, "radixSoftmax");
    Tensors.require(radix >= 1 && cardinality >= 1 && total % (radix * cardinality) == 0,
        "radixSoftmax: radix " + radix + " × cardinality " + cardinality + " must divide the "
            + total + " channels");
    int perGroup = total / radix / cardinality;
    // [N, card, radix, per] -> [N, card, per, radix]: softmax works on the last axis
    Operand<TFloat32> grouped =
        tf.reshape(logits, tf.constant(new int[] {-1, cardinality, radix, perGroup}));
    Operand<TFloat32> weights = tf.nn.softmax(
        tf.linalg.transpose(grouped, tf.constant(new int[] {0, 1, 3, 2})));
    // [N, card, per, radix] -> [N, radix, card, per], flattened radix-major
    Operand<TFloat32> radixMajor =
        tf.linalg.transpose(weights, tf.constant(new int[] {0, 3, 1, 2}));
    return tf.reshape(radixMajor, tf.constant(new int[] {-1, 1, 1, total}));
  }

  /**
   * {@code Σ parts[p] · weights[p]}, where {@code weights} {@code [N, 1, 1, P · C]} holds part
   * {@code p}'s weights in channels {@code [p·C, (p+1)·C)}.
   */
  static Operand<TFloat32> weightedSum(Ops tf, List<Operand<TFloat32>> parts,
      Operand<TFloat32> weights) {
    Tensors.require(!parts.isEmpty(), "weightedSum: no parts");
    int channels = Tensors.channels(parts.get(0), "weightedSum");
    int[] sizes = new int[parts.size()];
    Arrays.fill(sizes, channels);
    Tensors.require(Tensors.channels(weights, "weightedSum") == channels * parts.size(),
        "weightedSum: " + parts.size() + " parts of " + channels + " channels need "
            + channels * parts.size() + " weights, got " + weights.shape());
    List<Operand<TFloat32>> partWeights = Tensors.split(tf, weights, sizes);
    List<Operand<TFloat32>> weighted = new ArrayList<>(parts.size());
    for (int p = 0; p < parts.size(); p++) {
      weighted.add(tf.math.mul(parts.get(p), partWeights.get(p)));
    }
    return Tensors.sum(tf, weighted);
  }
}
