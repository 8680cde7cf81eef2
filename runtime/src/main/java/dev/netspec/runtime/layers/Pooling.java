package dev.netspec.runtime.layers;

/** A pooling reduction. */
public enum Pooling {
  MAX, AVG
}
