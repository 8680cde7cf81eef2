package dev.netspec.runtime.layers;

import java.util.function.Supplier;

/** Builds something with the grouped-convolution path forced, restoring the setting after. */
final class GroupedConvPaths {
  private GroupedConvPaths() {}

  static <T> T with(String path, Supplier<T> build) {
    String before = System.getProperty(GroupedConvolution.PROPERTY);
    System.setProperty(GroupedConvolution.PROPERTY, path);
    try {
      return build.get();
    } finally {
      if (before == null) {
        System.clearProperty(GroupedConvolution.PROPERTY);
      } else {
        System.setProperty(GroupedConvolution.PROPERTY, before);
      }
    }
  }
}
