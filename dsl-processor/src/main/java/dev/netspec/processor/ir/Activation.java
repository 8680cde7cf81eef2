package dev.netspec.processor.ir;

import dev.netspec.annotations.Act;
import java.util.List;
import java.util.Locale;

/** An activation; PReLU has one slope per channel, {@code weight} {@code [channels]}. */
public record Activation(Act act) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    return Primitive.only(inputs, "activation");
  }

  @Override
  public List<Parameter> parameters(List<TensorShape> inputs) {
    return act == Act.PRELU
        ? List.of(Parameter.trainable("weight", Primitive.only(inputs, "PReLU").channels()))
        : List.of();
  }

  @Override
  public String describe() {
    return act.name().toLowerCase(Locale.ROOT);
  }
}
