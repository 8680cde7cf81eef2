package dev.netspec.processor.write;

import static dev.netspec.processor.write.Names.floatLiteral;
import static dev.netspec.processor.write.RuntimeTypes.CLASSIFIER_HEAD;
import static dev.netspec.processor.write.RuntimeTypes.CONV_UNIT;
import static dev.netspec.processor.write.RuntimeTypes.DENSE_STAGE;
import static dev.netspec.processor.write.RuntimeTypes.DUAL_PATH_STAGE;
import static dev.netspec.processor.write.RuntimeTypes.LAYERS;
import static dev.netspec.processor.write.RuntimeTypes.NONLINEARITY;
import static dev.netspec.processor.write.RuntimeTypes.POOLING;
import static dev.netspec.processor.write.RuntimeTypes.RESIDUAL_STAGE;
import static dev.netspec.processor.write.RuntimeTypes.SQUEEZE_EXCITE;
import static dev.netspec.processor.write.RuntimeTypes.TRANSITION_UNIT;
import static dev.netspec.processor.write.RuntimeTypes.UNIT_ORDER;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.TensorShape;
import dev.netspec.processor.model.ActivationStage;
import dev.netspec.processor.model.BatchNormStage;
import dev.netspec.processor.model.ClassifierStage;
import dev.netspec.processor.model.ConvStage;
import dev.netspec.processor.model.DenseBlockStage;
import dev.netspec.processor.model.DenseStage;
import dev.netspec.processor.model.DropoutStage;
import dev.netspec.processor.model.DualPathStage;
import dev.netspec.processor.model.FlattenStage;
import dev.netspec.processor.model.GlobalPoolStage;
import dev.netspec.processor.model.NormalizeStage;
import dev.netspec.processor.model.PoolStage;
import dev.netspec.processor.model.ResidualStage;
import dev.netspec.processor.model.SelectiveKernel;
import dev.netspec.processor.model.SplitAttention;
import dev.netspec.processor.model.SqueezeExciteUnit;
import dev.netspec.processor.model.Stage;
import dev.netspec.processor.model.StageModel;
import dev.netspec.processor.model.TransitionStage;
import dev.netspec.processor.model.UseStage;

/**
 * The body of a stage's build method: one call into the runtime per stage, its settings written
 * out as fluent calls where they differ from the runtime's defaults. The input is {@code x}; the
 * stage's scope is {@code layers.in("<stage name>")}.
 */
final class StageCode {
  private final Act networkActivation;

  StageCode(Act networkActivation) {
    this.networkActivation = networkActivation;
  }

  CodeBlock body(StageModel model) {
    Stage stage = model.stage();
    CodeBlock scope = CodeBlock.of("layers.in($S)", model.name());
    if (stage instanceof ConvStage conv) {
      return returning(conv(conv, model.input()), scope);
    }
    if (stage instanceof ResidualStage residual) {
      return returning(residual(residual), scope);
    }
    if (stage instanceof DenseBlockStage dense) {
      return returning(denseBlock(dense), scope);
    }
    if (stage instanceof DualPathStage dualPath) {
      return returning(dualPath(dualPath), scope);
    }
    if (stage instanceof TransitionStage transition) {
      return returning(transition(transition, model.input().channels()), scope);
    }
    if (stage instanceof ClassifierStage classifier) {
      return returning(classifier(classifier), scope);
    }
    if (stage instanceof PoolStage pool) {
      return CodeBlock.of("return $L.pool(x, $T.$L, $L, $L, $L, $L);\n", scope, POOLING,
          pooling(pool.pool()), pool.kernel(), pool.stride(), pool.padding(), pool.ceil());
    }
    if (stage instanceof BatchNormStage norm) {
      CodeBlock normalized = CodeBlock.of("scope.batchNorm(x, $L, $L)",
          floatLiteral(norm.epsilon()), floatLiteral(norm.momentum()));
      return CodeBlock.builder()
          .addStatement("$T scope = $L", LAYERS, scope)
          .addStatement("return $L", activated(normalized, norm.act(), "scope.in(\"act\")"))
          .build();
    }
    if (stage instanceof ActivationStage activation) {
      return CodeBlock.of("return $L.activation(x, $T.$L);\n", scope, NONLINEARITY, activation.act());
    }
    if (stage instanceof DropoutStage dropout) {
      return CodeBlock.of("return $L.dropout(x, $L);\n", scope, floatLiteral(dropout.rate()));
    }
    if (stage instanceof GlobalPoolStage global) {
      return CodeBlock.of("return $L.globalPool(x, $T.$L);\n", scope, POOLING, pooling(global.pool()));
    }
    if (stage instanceof FlattenStage) {
      return CodeBlock.of("return $L.flatten(x);\n", scope);
    }
    if (stage instanceof NormalizeStage) {
      return CodeBlock.of("return $L.l2Normalize(x);\n", scope);
    }
    if (stage instanceof DenseStage dense) {
      CodeBlock linear = CodeBlock.of("scope.linear(x, $L, $L)", dense.units(), dense.bias());
      return CodeBlock.builder()
          .addStatement("$T scope = $L", LAYERS, scope)
          .addStatement("return $L", activated(linear, dense.act(), "scope.in(\"act\")"))
          .build();
    }
    if (stage instanceof UseStage use) {
      return CodeBlock.of("return $T.build($L, x, $S).output();\n",
          ClassName.get(use.generatedPackage(), use.generatedClass()), scope, use.lastStage());
    }
    throw new IllegalStateException("no code for " + stage.kind());
  }

  private static CodeBlock returning(CodeBlock unit, CodeBlock scope) {
    return CodeBlock.of("return $L\n    .apply($L, x);\n", unit, scope);
  }

  private CodeBlock conv(ConvStage conv, TensorShape in) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("$T.of($L, $L)", CONV_UNIT, conv.channels(), conv.kernel());
    if (conv.stride() != 1) {
      code.add(".stride($L)", conv.stride());
    }
    code.add(".padding($L)", conv.padding());
    if (conv.dilation() != 1) {
      code.add(".dilation($L)", conv.dilation());
    }
    if (conv.groups(in) != 1) {
      code.add(".groups($L)", conv.groups(in));
    }
    if (conv.bias()) {
      code.add(".bias(true)");
    }
    if (conv.norm() == Norm.LAYER) {
      throw new IllegalStateException("no ConvUnit with a LayerNorm: a @Conv(norm = Norm.LAYER)"
          + " is written primitive by primitive");
    }
    if (conv.norm() == Norm.NONE) {
      code.add(".norm(false)");
    }
    addActivation(code, conv.act());
    addOrder(code, conv.order(), Order.CONV_NORM_ACT);
    return code.build();
  }

  private static CodeBlock residual(ResidualStage residual) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.$L($L, $L)", RESIDUAL_STAGE,
        residual.block() == Block.BOTTLENECK ? "bottleneck" : "basic",
        residual.blocks(), residual.planes());
    if (residual.stride() != 1) {
      code.add(".stride($L)", residual.stride());
    }
    if (residual.groups() != 1) {
      code.add(".groups($L)", residual.groups());
    }
    if (residual.baseWidth() != 64) {
      code.add(".baseWidth($L)", residual.baseWidth());
    }
    if (residual.preact()) {
      code.add(".preact(true)");
    }
    if (residual.dropout() != 0) {
      code.add(".dropout($L)", floatLiteral(residual.dropout()));
    }
    if (residual.downsample() == Downsample.AVG_CONV) {
      code.add(".avgDownsample(true)");
    }
    residual.squeezeExcite().ifPresent(se -> code.add(".squeezeExcite($L)", squeezeExcite(se)));
    residual.attentionConv().ifPresent(unit -> {
      if (unit instanceof SelectiveKernel sk) {
        code.add(".selectiveKernel($L, $L, $L, $L)", sk.branches(), sk.groups(), sk.reduction(),
            sk.minDim());
      } else if (unit instanceof SplitAttention sa) {
        code.add(".splitAttention($L, $L, $L)", sa.radix(), sa.cardinality(), sa.reduction());
      }
    });
    return code.build();
  }

  private static CodeBlock denseBlock(DenseBlockStage dense) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("$T.of($L, $L)", DENSE_STAGE, dense.growth(), dense.layers());
    if (dense.bottleneck() != 4) {
      code.add(".bottleneck($L)", dense.bottleneck());
    }
    if (dense.dropout() != 0) {
      code.add(".dropout($L)", floatLiteral(dense.dropout()));
    }
    addOrder(code, dense.order(), Order.NORM_ACT_CONV);
    dense.squeezeExcite().ifPresent(se -> code.add(".squeezeExcite($L)", squeezeExcite(se)));
    return code.build();
  }

  private static CodeBlock dualPath(DualPathStage dualPath) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of($L, $L, $L, $L, $L)", DUAL_PATH_STAGE,
        dualPath.blocks(), dualPath.width(), dualPath.inc(), dualPath.kR(), dualPath.groups());
    if (dualPath.stride() != 1) {
      code.add(".stride($L)", dualPath.stride());
    }
    dualPath.se().ifPresent(se -> code.add(".squeezeExcite($L)", squeezeExcite(se)));
    return code.build();
  }

  private static CodeBlock squeezeExcite(SqueezeExciteUnit se) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of($L)", SQUEEZE_EXCITE, se.reduction());
    if (se.minChannels() != 1) {
      code.add(".minChannels($L)", se.minChannels());
    }
    return code.build();
  }

  private static CodeBlock transition(TransitionStage transition, int inputChannels) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("$T.of($L)", TRANSITION_UNIT, transition.outputChannels(inputChannels));
    if (transition.pool() != PoolKind.AVG) {
      code.add(".pool($T.$L)", POOLING, pooling(transition.pool()));
    }
    if (transition.ceil()) {
      code.add(".ceil(true)");
    }
    if (transition.dropout() != 0) {
      code.add(".dropout($L)", floatLiteral(transition.dropout()));
    }
    addOrder(code, transition.order(), Order.NORM_ACT_CONV);
    return code.build();
  }

  private static CodeBlock classifier(ClassifierStage classifier) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of($L)", CLASSIFIER_HEAD, classifier.classes());
    if (classifier.pool() != PoolKind.AVG) {
      code.add(".pool($T.$L)", POOLING, pooling(classifier.pool()));
    }
    if (classifier.dropout() != 0) {
      code.add(".dropout($L)", floatLiteral(classifier.dropout()));
    }
    return code.build();
  }

  private void addActivation(CodeBlock.Builder code, Act act) {
    if (act != networkActivation) {
      code.add(".act($T.$L)", NONLINEARITY, act);
    }
  }

  private static void addOrder(CodeBlock.Builder code, Order order, Order runtimeDefault) {
    if (order != runtimeDefault) {
      code.add(".order($T.$L)", UNIT_ORDER, order);
    }
  }

  /** {@code inner}, followed by an activation in {@code actScope} unless there is none. */
  private static CodeBlock activated(CodeBlock inner, Act act, String actScope) {
    return act == Act.NONE ? inner
        : CodeBlock.of("$L.activation($L, $T.$L)", actScope, inner, NONLINEARITY, act);
  }

  private static String pooling(PoolKind kind) {
    return kind.name();
  }
}
