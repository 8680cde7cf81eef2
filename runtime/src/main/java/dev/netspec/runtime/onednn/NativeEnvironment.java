package dev.netspec.runtime.onednn;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.bytedeco.javacpp.Loader;

/**
 * The C library's environment of this process, which native code reads with {@code getenv}.
 * {@link System#getenv()} is a copy taken when the JVM started, and Java has no way to change
 * either; JNA calls {@code setenv} without a JVM flag (Java 17's incubating foreign-function API
 * would need {@code --add-modules} and {@code --enable-native-access}).
 */
final class NativeEnvironment {
  private interface C extends Library {
    int setenv(String name, String value, int overwrite);
  }

  private NativeEnvironment() {}

  /**
   * Sets {@code name} for the native code of this process.
   *
   * @throws UnsupportedOperationException where there is no POSIX {@code setenv} (Windows' C
   *     runtimes each keep their own copy) or JNA cannot load
   */
  static void set(String name, String value) {
    if (Platform.isWindows()) {
      throw new UnsupportedOperationException("no setenv on Windows");
    }
    int status;
    try {
      status = Native.load(Platform.C_LIBRARY_NAME, C.class).setenv(name, value, 1);
    } catch (LinkageError | RuntimeException e) {
      throw new UnsupportedOperationException("JNA cannot call setenv: " + e, e);
    }
    if (status != 0) {
      throw new UnsupportedOperationException("setenv(" + name + ") failed: " + Native.getLastError());
    }
  }

  /** Whether TensorFlow's native library is loaded, and has read its variables, already. */
  static boolean tensorFlowLoaded() {
    return Loader.getLoadedLibraries().keySet().stream().anyMatch(l -> l.contains("tensorflow"));
  }
}
