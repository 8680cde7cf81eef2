package dev.netspec.processor.ir;

import java.util.List;

/**
 * Each channel multiplied by a learnable factor, initially {@code init}: torchvision's ConvNeXt
 * {@code layer_scale}, {@code [channels, 1, 1]}.
 */
public record LayerScale(double init) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    return Primitive.featureMap(inputs, "layer scale");
  }

  @Override
  public List<Parameter> parameters(List<TensorShape> inputs) {
    return List.of(Parameter.trainable("layer_scale",
        Primitive.featureMap(inputs, "layer scale").channels(), 1, 1));
  }

  @Override
  public String describe() {
    return "layer scale";
  }
}
