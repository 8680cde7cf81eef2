package dev.netspec.runtime.io;

import java.util.List;

/**
 * Tensors held NaN or infinite values where only finite ones may be (see {@link FiniteValues}):
 * a checkpoint was not written, or not loaded. The message is one line naming the tensors.
 */
public final class NonFiniteValuesException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<FiniteValues.Offender> offenders;

  public NonFiniteValuesException(String message, List<FiniteValues.Offender> offenders) {
    super(message);
    this.offenders = List.copyOf(offenders);
  }

  /** Every tensor that held non-finite values. */
  public List<FiniteValues.Offender> offenders() {
    return offenders;
  }
}
