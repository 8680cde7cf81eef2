package dev.netspec.examples.cli;

import dev.netspec.runtime.ModelOptions;
import picocli.CommandLine.Option;

/** How much of the forward pass a training step keeps for its backward pass. */
final class MemoryOptions {
  @Option(names = "--memory-efficient",
      description = "training: dense blocks compute each layer's concatenation, norm1, act1,"
          + " norm2 and act2 again in the backward pass instead of keeping them (less memory,"
          + " more time)")
  boolean memoryEfficient;

  ModelOptions applyTo(ModelOptions options) {
    return options.withMemoryEfficient(memoryEfficient);
  }
}
