package dev.netspec.runtime.data;

import java.util.Objects;

/** A training and a validation set with the same classes. */
public record DataSplits(Dataset train, Dataset validation) {

  public DataSplits {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    if (!train.classNames().equals(validation.classNames())) {
      throw new IllegalArgumentException("the training and validation sets have different classes: "
          + train.classNames() + " and " + validation.classNames());
    }
    if (train.channels() != validation.channels()) {
      throw new IllegalArgumentException("the training images have " + train.channels()
          + " channels, the validation images " + validation.channels());
    }
  }
}
