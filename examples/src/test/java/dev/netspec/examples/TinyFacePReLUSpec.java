package dev.netspec.examples;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Dense;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Dropout;
import dev.netspec.annotations.Flatten;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Transition;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A miniature of the face DenseNet (PReLU everywhere, a flatten and a dense embedding), twin of
 * {@code tiny_face_prelu} in {@code reference/parity_reference.py}, whose parity file ships with
 * the tests.
 */
@Network(name = "TinyFacePReLU", input = @Input(height = 16, width = 16), activation = Act.PRELU)
interface TinyFacePReLUSpec {
  @Conv(channels = 8, kernel = 3) Operand<TFloat32> conv0();
  @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
  @DenseBlock(growth = 4, layers = 2) Operand<TFloat32> denseblock1();
  @Transition Operand<TFloat32> transition1();
  @BatchNorm(act = Act.DEFAULT) Operand<TFloat32> norm5();
  @BatchNorm Operand<TFloat32> bn1();
  @Dropout(rate = 0.4) Operand<TFloat32> dropout();
  @Flatten Operand<TFloat32> flatten();
  @Dense(units = 16) Operand<TFloat32> fc1();
  @BatchNorm Operand<TFloat32> embedding();
}

/** {@link TinyFacePReLUSpec} with an 8-d embedding: a fine-tuning target for its weights. */
@Network(name = "TinyFacePReLU8", input = @Input(height = 16, width = 16), activation = Act.PRELU)
interface TinyFacePReLU8Spec {
  @Conv(channels = 8, kernel = 3) Operand<TFloat32> conv0();
  @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
  @DenseBlock(growth = 4, layers = 2) Operand<TFloat32> denseblock1();
  @Transition Operand<TFloat32> transition1();
  @BatchNorm(act = Act.DEFAULT) Operand<TFloat32> norm5();
  @BatchNorm Operand<TFloat32> bn1();
  @Dropout(rate = 0.4) Operand<TFloat32> dropout();
  @Flatten Operand<TFloat32> flatten();
  @Dense(units = 8) Operand<TFloat32> fc1();
  @BatchNorm Operand<TFloat32> embedding();
}
