package dev.netspec.processor.ir;

/**
 * Parameters (as PyTorch counts {@code model.parameters()}) and multiply-accumulates of
 * convolutions and linear layers for one image; {@code macs} is -1 when a size is dynamic.
 */
public record Cost(long parameters, long macs) {
  public static final Cost NONE = new Cost(0, 0);

  public Cost plus(Cost other) {
    return new Cost(parameters + other.parameters,
        macs < 0 || other.macs < 0 ? -1 : macs + other.macs);
  }

  public static Cost parameters(long parameters) {
    return new Cost(parameters, 0);
  }
}
