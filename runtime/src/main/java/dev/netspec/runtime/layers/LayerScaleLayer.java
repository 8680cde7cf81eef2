package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.require;

import dev.netspec.runtime.Init;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * torchvision's ConvNeXt layer scale: each channel of an NHWC map multiplied by a learnable
 * factor, variable {@code layer_scale} {@code [C]} (PyTorch's {@code [C, 1, 1]}), initially
 * {@code init}.
 */
final class LayerScaleLayer {

  private LayerScaleLayer() {}

  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, float init) {
    require(Float.isFinite(init), "layerScale: init must be finite, got " + init);
    int c = Tensors.channels(x, "layerScale");
    return scope.tf().math.mul(x,
        scope.read(scope.variable("layer_scale", Shape.of(c), Init.constant(init), true)));
  }
}
