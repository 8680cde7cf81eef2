package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assumptions.abort;

import java.util.function.Supplier;

/** Builds something with the grouped-convolution path pinned, restoring the setting after. */
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

  /** {@link #with}, skipping the test where the pinned path is wrong on this CPU. */
  static <T> T orSkip(String path, Supplier<T> build) {
    try {
      return with(path, build);
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("pins this path")) {
        return abort("the " + path + " path is wrong here: " + e.getMessage());
      }
      throw e;
    }
  }
}
