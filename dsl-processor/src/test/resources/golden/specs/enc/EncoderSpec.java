package enc;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * An encoder for any size of grey image, with an {@code @Output} contract, for another spec to
 * {@code @Use}.
 */
@Network(name = "Encoder", input = @Input(channels = 1), output = @Output(channels = 32, stride = 4),
    activation = Act.SILU, epsilon = 1e-3)
public interface EncoderSpec {
  @Conv(channels = 16, stride = 2) Operand<TFloat32> stem();
  @Residual(block = Block.BASIC, blocks = 1, planes = 32, stride = 2) Operand<TFloat32> layer1();
}
