package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The flat stages after {@code @Flatten}: no stage yields a feature map, so FEATURES is empty. */
@Network(name = "Heads", input = @Input(channels = 8, height = 4, width = 4))
public interface HeadsSpec {
  @Flatten Operand<TFloat32> flatten();
  @Dense(units = 64) Operand<TFloat32> fc1();
  @BatchNorm(act = Act.RELU6) Operand<TFloat32> bn1();
  @Dropout(rate = 0.25) Operand<TFloat32> dropout();
  @Dense(units = 16, bias = false, act = Act.SILU) Operand<TFloat32> fc2();
  @Activation(Act.PRELU) Operand<TFloat32> prelu();
  @Normalize Operand<TFloat32> embedding();
}
