package dev.netspec.processor.write;

import static dev.netspec.processor.write.Names.floatLiteral;
import static dev.netspec.processor.write.RuntimeTypes.NONLINEARITY;
import static dev.netspec.processor.write.RuntimeTypes.POOLING;

import com.palantir.javapoet.CodeBlock;
import dev.netspec.processor.ir.Activation;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.BatchNorm;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Dropout;
import dev.netspec.processor.ir.Flatten;
import dev.netspec.processor.ir.Gate;
import dev.netspec.processor.ir.GlobalPool;
import dev.netspec.processor.ir.LayerNorm;
import dev.netspec.processor.ir.LayerScale;
import dev.netspec.processor.ir.Linear;
import dev.netspec.processor.ir.Normalize;
import dev.netspec.processor.ir.Pool;
import dev.netspec.processor.ir.Primitive;
import dev.netspec.processor.ir.RadixSoftmax;
import dev.netspec.processor.ir.Slice;
import dev.netspec.processor.ir.StochasticDepth;
import dev.netspec.processor.ir.WeightedSum;
import java.util.List;

/**
 * The call into the runtime's op library that executes one primitive: {@code
 * scope.in("conv1").conv(x, 64, 3, 1, 1, 1, 1, false)}. A primitive with variables runs in the
 * scope of its node; one without runs in its node's parent scope, which is where a dropout's mask
 * seed comes from.
 */
final class PrimitiveCall {
  private PrimitiveCall() {}

  /** Whether {@code op} may create variables, and so runs in its node's own scope. */
  static boolean ownScope(Primitive op) {
    return op instanceof Conv || op instanceof BatchNorm || op instanceof Activation
        || op instanceof Linear || op instanceof LayerNorm || op instanceof LayerScale;
  }

  /**
   * The call of {@code op} in scope {@code scope} on {@code inputs}, expressions of the graph's
   * values in the node's input order.
   */
  static CodeBlock of(Primitive op, CodeBlock scope, List<CodeBlock> inputs) {
    CodeBlock x = inputs.get(0);
    if (op instanceof Conv c) {
      return CodeBlock.of("$L.conv($L, $L, $L, $L, $L, $L, $L, $L)", scope, x, c.channels(),
          c.kernel(), c.stride(), c.padding(), c.dilation(), c.groups(), c.bias());
    }
    if (op instanceof BatchNorm bn) {
      return bn.epsilon().isPresent()
          ? CodeBlock.of("$L.batchNorm($L, $L, $L)", scope, x,
              floatLiteral(bn.epsilon().getAsDouble()), floatLiteral(bn.momentum()))
          : CodeBlock.of("$L.batchNorm($L)", scope, x);
    }
    if (op instanceof Activation a) {
      return CodeBlock.of("$L.activation($L, $T.$L)", scope, x, NONLINEARITY, a.act().name());
    }
    if (op instanceof Pool p) {
      return CodeBlock.of("$L.pool($L, $T.$L, $L, $L, $L, $L, $L)", scope, x, POOLING,
          p.kind().name(), p.kernel(), p.stride(), p.padding(), p.ceil(), p.countPadding());
    }
    if (op instanceof GlobalPool p) {
      return p.keepDims()
          ? CodeBlock.of("$L.globalPool($L, $T.$L, true)", scope, x, POOLING, p.kind().name())
          : CodeBlock.of("$L.globalPool($L, $T.$L)", scope, x, POOLING, p.kind().name());
    }
    if (op instanceof Add) {
      return CodeBlock.of("$L.add($L)", scope, CodeBlock.join(inputs, ", "));
    }
    if (op instanceof Concat) {
      return CodeBlock.of("$L.concat($L)", scope, CodeBlock.join(inputs, ", "));
    }
    if (op instanceof Slice s) {
      return CodeBlock.of("$L.slice($L, $L, $L)", scope, x, s.from(), s.count());
    }
    if (op instanceof Gate) {
      return CodeBlock.of("$L.gate($L, $L)", scope, x, inputs.get(1));
    }
    if (op instanceof Linear l) {
      return CodeBlock.of("$L.linear($L, $L, $L)", scope, x, l.units(), l.bias());
    }
    if (op instanceof LayerNorm n) {
      return CodeBlock.of("$L.layerNorm($L, $L)", scope, x, floatLiteral(n.epsilon()));
    }
    if (op instanceof LayerScale l) {
      return CodeBlock.of("$L.layerScale($L, $L)", scope, x, floatLiteral(l.init()));
    }
    if (op instanceof StochasticDepth d) {
      return CodeBlock.of("$L.stochasticDepth($L, $L)", scope, x, floatLiteral(d.rate()));
    }
    if (op instanceof Dropout d) {
      return CodeBlock.of("$L.dropout($L, $L)", scope, x, floatLiteral(d.rate()));
    }
    if (op instanceof Flatten) {
      return CodeBlock.of("$L.flatten($L)", scope, x);
    }
    if (op instanceof Normalize) {
      return CodeBlock.of("$L.l2Normalize($L)", scope, x);
    }
    if (op instanceof RadixSoftmax r) {
      return CodeBlock.of("$L.radixSoftmax($L, $L, $L)", scope, x, r.radix(), r.cardinality());
    }
    if (op instanceof WeightedSum) {
      return CodeBlock.of("$L.weightedSum($T.of($L), $L)", scope, List.class,
          CodeBlock.join(inputs.subList(0, inputs.size() - 1), ", "),
          inputs.get(inputs.size() - 1));
    }
    throw new IllegalArgumentException("no runtime call for " + op);
  }
}
