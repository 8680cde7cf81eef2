package dev.netspec.examples.zoo;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Dense;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Dropout;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Flatten;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Transition;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * DenseNets (Huang et al. 2017): torchvision's ImageNet models (7×7 stem, four dense blocks
 * of bottleneck layers with bn_size 4, transitions of compression 0.5, final BatchNorm-ReLU)
 * the CIFAR DenseNet-BC-100, and the DenseNet-121 of face recognition (InsightFace's Gluon
 * model). Stage names are torchvision's module names under {@code features}.
 */
public final class DenseNets {
  private DenseNets() {}

  /** DenseNet-121: growth 32, blocks 6-12-24-16. */
  @Network(name = "DenseNet121", input = @Input(height = 224, width = 224))
  @Expect(parameters = 7_978_856, macs = 2_834_161_664L)
  public interface DenseNet121Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
    @DenseBlock(growth = 32, layers = 6) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @DenseBlock(growth = 32, layers = 12) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @DenseBlock(growth = 32, layers = 24) Operand<TFloat32> denseblock3();
    @Transition Operand<TFloat32> transition3();
    @DenseBlock(growth = 32, layers = 16) Operand<TFloat32> denseblock4();
    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /** DenseNet-161: growth 48, a 96-channel stem, blocks 6-12-36-24. */
  @Network(name = "DenseNet161", input = @Input(height = 224, width = 224))
  @Expect(parameters = 28_681_000, macs = 7_727_907_072L)
  public interface DenseNet161Spec {
    @Conv(channels = 96, kernel = 7, stride = 2) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
    @DenseBlock(growth = 48, layers = 6) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @DenseBlock(growth = 48, layers = 12) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @DenseBlock(growth = 48, layers = 36) Operand<TFloat32> denseblock3();
    @Transition Operand<TFloat32> transition3();
    @DenseBlock(growth = 48, layers = 24) Operand<TFloat32> denseblock4();
    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /** DenseNet-169: growth 32, blocks 6-12-32-32. */
  @Network(name = "DenseNet169", input = @Input(height = 224, width = 224))
  @Expect(parameters = 14_149_480, macs = 3_359_843_328L)
  public interface DenseNet169Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
    @DenseBlock(growth = 32, layers = 6) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @DenseBlock(growth = 32, layers = 12) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @DenseBlock(growth = 32, layers = 32) Operand<TFloat32> denseblock3();
    @Transition Operand<TFloat32> transition3();
    @DenseBlock(growth = 32, layers = 32) Operand<TFloat32> denseblock4();
    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /** DenseNet-201: growth 32, blocks 6-12-48-32. */
  @Network(name = "DenseNet201", input = @Input(height = 224, width = 224))
  @Expect(parameters = 20_013_928, macs = 4_291_365_888L)
  public interface DenseNet201Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
    @DenseBlock(growth = 32, layers = 6) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @DenseBlock(growth = 32, layers = 12) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @DenseBlock(growth = 32, layers = 48) Operand<TFloat32> denseblock3();
    @Transition Operand<TFloat32> transition3();
    @DenseBlock(growth = 32, layers = 32) Operand<TFloat32> denseblock4();
    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /**
   * DenseNet-BC-100 for CIFAR (k = 12): a bare 3×3 stem of 2k = 24 channels, three blocks of 16
   * bottleneck layers, compression 0.5, 10 classes.
   */
  @Network(name = "DenseNetBC100", input = @Input(height = 32, width = 32))
  @Expect(parameters = 769_162, macs = 287_929_692L)
  public interface DenseNetBC100Spec {
    @Conv(channels = 24, kernel = 3, norm = Norm.NONE, act = Act.NONE) Operand<TFloat32> conv0();
    @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock3();
    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
    @Classifier(classes = 10) Operand<TFloat32> classifier();
  }

  /**
   * DenseNet-121 for face recognition, as InsightFace builds it in Gluon: 112×112 faces, a 3×3
   * stride-1 stem, the final 7×7 map kept (no global pool) and a 512-d embedding head of
   * BatchNorm, dropout 0.4, flatten, fully connected and BatchNorm. ReLU everywhere. The
   * parameter counts equal those of the PyTorch twin in {@code reference/face_densenet.py}.
   */
  @Network(name = "DenseNet121Face", input = @Input(height = 112, width = 112))
  @Expect(parameters = 32_639_872, macs = 2_762_489_856L)
  public interface DenseNet121FaceSpec {
    @Conv(channels = 64, kernel = 3) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
    @DenseBlock(growth = 32, layers = 6) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @DenseBlock(growth = 32, layers = 12) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @DenseBlock(growth = 32, layers = 24) Operand<TFloat32> denseblock3();
    @Transition Operand<TFloat32> transition3();
    @DenseBlock(growth = 32, layers = 16) Operand<TFloat32> denseblock4();
    @BatchNorm(act = Act.DEFAULT) Operand<TFloat32> norm5();
    @BatchNorm Operand<TFloat32> bn1();
    @Dropout(rate = 0.4) Operand<TFloat32> dropout();
    @Flatten Operand<TFloat32> flatten();
    @Dense(units = 512) Operand<TFloat32> fc1();
    @BatchNorm Operand<TFloat32> embedding();
  }

  /** {@link DenseNet121FaceSpec} with a PReLU (one learnable slope per channel) for every activation. */
  @Network(name = "DenseNet121FacePReLU", input = @Input(height = 112, width = 112),
      activation = Act.PRELU)
  @Expect(parameters = 32_681_696, macs = 2_762_489_856L)
  public interface DenseNet121FacePReLUSpec {
    @Conv(channels = 64, kernel = 3) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
    @DenseBlock(growth = 32, layers = 6) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @DenseBlock(growth = 32, layers = 12) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @DenseBlock(growth = 32, layers = 24) Operand<TFloat32> denseblock3();
    @Transition Operand<TFloat32> transition3();
    @DenseBlock(growth = 32, layers = 16) Operand<TFloat32> denseblock4();
    @BatchNorm(act = Act.DEFAULT) Operand<TFloat32> norm5();
    @BatchNorm Operand<TFloat32> bn1();
    @Dropout(rate = 0.4) Operand<TFloat32> dropout();
    @Flatten Operand<TFloat32> flatten();
    @Dense(units = 512) Operand<TFloat32> fc1();
    @BatchNorm Operand<TFloat32> embedding();
  }
}
