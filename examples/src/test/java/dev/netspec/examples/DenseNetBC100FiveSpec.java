package dev.netspec.examples;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Transition;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The zoo's DenseNet-BC-100 with a head of 5 classes: a fine-tuning target for its weights. */
@Network(name = "DenseNetBC100Five", input = @Input(height = 32, width = 32))
interface DenseNetBC100FiveSpec {
  @Conv(channels = 24, kernel = 3, norm = Norm.NONE, act = Act.NONE) Operand<TFloat32> conv0();
  @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock1();
  @Transition Operand<TFloat32> transition1();
  @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock2();
  @Transition Operand<TFloat32> transition2();
  @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock3();
  @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
  @Classifier(classes = 5) Operand<TFloat32> classifier();
}
