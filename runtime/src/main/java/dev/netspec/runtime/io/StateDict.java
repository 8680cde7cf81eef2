package dev.netspec.runtime.io;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.tensorflow.ndarray.Shape;

/**
 * Named tensors in PyTorch's layout (a {@code state_dict}): convolution weights OIHW, linear
 * weights {@code [out, in]}. Shapes are known without reading any values, so that an import can
 * check everything before it reads.
 */
public interface StateDict {

  /** The tensor names, in the order the source lists them. */
  List<String> names();

  /** The shape of tensor {@code name}. */
  Shape shape(String name);

  /** Empty when tensor {@code name} reads as float32; otherwise why it cannot. */
  Optional<String> unreadable(String name);

  /** The values of tensor {@code name}, row-major, as float32. */
  float[] read(String name) throws IOException;
}
