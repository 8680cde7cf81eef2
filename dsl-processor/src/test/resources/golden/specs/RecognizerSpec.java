package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import enc.EncoderSpec;

/** {@code @Use} of a spec in another package: all its stages, then up to one of them. */
@Network(name = "Recognizer", input = @Input(channels = 1, height = 64, width = 64),
    output = @Output(channels = 10))
public interface RecognizerSpec {
  @Use(EncoderSpec.class) Operand<TFloat32> encoder();
  @Conv(channels = 1, kernel = 1) Operand<TFloat32> grey();
  @Use(value = EncoderSpec.class, until = "stem") Operand<TFloat32> stem();
  @GlobalPool Operand<TFloat32> pool();
  @Dense(units = 10) Operand<TFloat32> fc();
}
