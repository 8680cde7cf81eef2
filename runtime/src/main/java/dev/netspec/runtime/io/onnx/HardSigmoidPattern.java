package dev.netspec.runtime.io.onnx;

import static dev.netspec.runtime.io.onnx.TfGraph.soleConsumer;

import java.util.Optional;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * MobileNetV3's activations as {@code Layers} builds them, found from their first op: hard sigmoid
 * {@code Div(Relu6(Add(x, 3)), 6)}, and hard swish, {@code Mul(x, hard sigmoid of x)}. The
 * converter writes each as one ONNX {@code HardSigmoid} or {@code HardSwish} (α = 1/6, β = 1/2),
 * as PyTorch exports {@code nn.Hardsigmoid} and {@code nn.Hardswish}, instead of four element-wise
 * ops, each a pass over the map.
 *
 * @param input {@code x}
 * @param swish whether {@code x} multiplies the hard sigmoid
 * @param output the hard sigmoid, or the product with {@code x}
 * @param inner every op of the pattern but the last (the converter skips them)
 */
record HardSigmoidPattern(Output<?> input, boolean swish, Output<?> output,
    Set<GraphOperation> inner) {

  /** The hard sigmoid or hard swish that {@code add}, an {@code Add} op, begins, if any. */
  static Optional<HardSigmoidPattern> startingAt(GraphOperation add, TfGraph tf) {
    if (!(add.type().equals("Add") || add.type().equals("AddV2"))
        || !tf.isDynamic(add.input(0)) || !tf.isScalar(add.input(1), 3f)) {
      return Optional.empty();
    }
    Output<?> x = add.input(0);
    GraphOperation relu6 = soleConsumer(add);
    if (relu6 == null || !relu6.type().equals("Relu6")) {
      return Optional.empty();
    }
    GraphOperation div = soleConsumer(relu6);
    if (div == null || !(div.type().equals("Div") || div.type().equals("RealDiv"))
        || !div.input(0).equals(relu6.output(0)) || !tf.isScalar(div.input(1), 6f)) {
      return Optional.empty();
    }
    GraphOperation mul = soleConsumer(div);
    boolean swish = mul != null && mul.type().equals("Mul")
        && (mul.input(0).equals(x) && mul.input(1).equals(div.output(0))
            || mul.input(1).equals(x) && mul.input(0).equals(div.output(0)));
    return Optional.of(swish
        ? new HardSigmoidPattern(x, true, mul.output(0), Set.of(add, relu6, div))
        : new HardSigmoidPattern(x, false, div.output(0), Set.of(add, relu6)));
  }
}
