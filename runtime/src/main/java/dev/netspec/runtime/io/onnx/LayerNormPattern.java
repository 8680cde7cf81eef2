package dev.netspec.runtime.io.onnx;

import static dev.netspec.runtime.io.onnx.TfGraph.soleConsumer;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * The ops of one layer norm over the last axis, as {@code Layers.layerNorm} builds it, found from
 * its first op so that the converter writes one ONNX {@code LayerNormalization} instead of nine
 * element-wise ops and reductions: ONNX Runtime has a kernel for it, and PyTorch exports its
 * layer norms so (ConvNeXt-T at batch 1 on ONNX Runtime: 60.6 → 55.7 ms, medians of four
 * processes):
 *
 * <pre>
 * mean = Mean(x, [last], keep_dims)      centered = Sub(x, mean)
 * variance = Mean(Square(centered), [last], keep_dims)
 * y = Add(Mul(Mul(centered, Rsqrt(Add(variance, epsilon))), weight), bias)
 * </pre>
 *
 * Only that exact form matches, with {@code epsilon}, {@code weight} and {@code bias} independent
 * of the input and every op between {@code x} and {@code y} read by no op outside the pattern.
 *
 * @param input {@code x}
 * @param weight the scale, {@code [C]}
 * @param bias the shift, {@code [C]}
 * @param epsilon added to the variance
 * @param output {@code y}
 * @param inner every op of the pattern but the last (the converter skips them)
 */
record LayerNormPattern(Output<?> input, Output<?> weight, Output<?> bias, float epsilon,
    Output<?> output, Set<GraphOperation> inner) {

  /** The layer norm that {@code mean}, a {@code Mean} op, begins, if it begins one. */
  static Optional<LayerNormPattern> startingAt(GraphOperation mean, TfGraph tf) {
    if (!isLastAxisMean(mean, tf)) {
      return Optional.empty();
    }
    Output<?> x = mean.input(0);
    GraphOperation sub = soleConsumer(mean);
    if (sub == null || !sub.type().equals("Sub") || !sub.input(0).equals(x)
        || !sub.input(1).equals(mean.output(0))) {
      return Optional.empty();
    }
    Set<GraphOperation> readers = TfGraph.consumers(sub, 0);
    GraphOperation square = only(readers, "Square");
    GraphOperation scale = only(readers, "Mul");
    if (readers.size() != 2 || square == null || scale == null) {
      return Optional.empty();
    }
    GraphOperation variance = soleConsumer(square);
    if (variance == null || !variance.type().equals("Mean") || !isLastAxisMean(variance, tf)) {
      return Optional.empty();
    }
    GraphOperation plusEpsilon = soleConsumer(variance);
    if (plusEpsilon == null || !isAdd(plusEpsilon) || tf.isDynamic(plusEpsilon.input(1))) {
      return Optional.empty();
    }
    GraphOperation rsqrt = soleConsumer(plusEpsilon);
    if (rsqrt == null || !rsqrt.type().equals("Rsqrt") || !scale.equals(soleConsumer(rsqrt))
        || !scale.input(0).equals(sub.output(0)) || !scale.input(1).equals(rsqrt.output(0))) {
      return Optional.empty();
    }
    GraphOperation times = soleConsumer(scale);
    if (times == null || !times.type().equals("Mul") || tf.isDynamic(times.input(1))) {
      return Optional.empty();
    }
    GraphOperation plus = soleConsumer(times);
    if (plus == null || !isAdd(plus) || tf.isDynamic(plus.input(1))) {
      return Optional.empty();
    }
    long channels = x.shape().get(GraphConverter.rank(x) - 1);
    if (!isVector(times.input(1), channels) || !isVector(plus.input(1), channels)) {
      return Optional.empty();
    }
    float[] epsilon = tf.constant(plusEpsilon.input(1)).floats();
    if (epsilon == null || epsilon.length != 1) {
      return Optional.empty();
    }
    return Optional.of(new LayerNormPattern(x, times.input(1), plus.input(1), epsilon[0],
        plus.output(0), Set.of(mean, sub, square, variance, plusEpsilon, rsqrt, scale, times)));
  }

  private static boolean isLastAxisMean(GraphOperation op, TfGraph tf) {
    if (!op.type().equals("Mean") || !op.attributes().getAttrBool("keep_dims")
        || tf.isDynamic(op.input(1))) {
      return false;
    }
    int rank = GraphConverter.rank(op.input(0));
    long[] axes = tf.constant(op.input(1)).asInts();
    return axes.length == 1 && (axes[0] == rank - 1 || axes[0] == -1);
  }

  private static boolean isVector(Output<?> tensor, long length) {
    return tensor.shape().numDimensions() == 1 && tensor.shape().get(0) == length;
  }

  private static boolean isAdd(GraphOperation op) {
    return op.type().equals("Add") || op.type().equals("AddV2");
  }

  private static GraphOperation only(Set<GraphOperation> ops, String type) {
    List<GraphOperation> matching = ops.stream().filter(o -> o.type().equals(type)).toList();
    return matching.size() == 1 ? matching.get(0) : null;
  }
}
