package dev.netspec.runtime;

/**
 * How a network is built. {@link #TRAIN} normalizes with batch statistics, updates the BatchNorm
 * running statistics and applies dropout; {@link #INFERENCE} uses the running statistics and
 * leaves dropout out.
 */
public enum Mode {
  TRAIN,
  INFERENCE
}
