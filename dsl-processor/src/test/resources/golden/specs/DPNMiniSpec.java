package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code @DualPath} at stride 1 ('proj') and 2 ('down'), without and with {@code @SqueezeExcite}
 * (defaults and every setting), with the network's epsilon 1e-3.
 */
@Network(name = "DPNMini", epsilon = 1e-3, input = @Input(height = 64, width = 64))
public interface DPNMiniSpec {
  @Conv(channels = 32, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
  @DualPath(blocks = 2, width = 64, inc = 8, kR = 16, G = 4) Operand<TFloat32> conv2();
  @SqueezeExcite
  @DualPath(blocks = 2, width = 128, inc = 16, kR = 16, G = 4, stride = 2) Operand<TFloat32> conv3();
  @SqueezeExcite(reduction = 8, minChannels = 16)
  @DualPath(blocks = 1, width = 256, inc = 16, kR = 16, G = 8, stride = 2) Operand<TFloat32> conv4();
  @BatchNorm(act = Act.RELU) Operand<TFloat32> conv4_bn_ac();
  @Classifier(classes = 10) Operand<TFloat32> classifier();
}
