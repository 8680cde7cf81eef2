package dev.netspec.runtime.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;
import org.tensorflow.TensorFlow;

/** A plain JVM sets its own native environment, which is what TensorFlow reads. */
class NativeEnvironmentTest {
  private interface C extends Library {
    String getenv(String name);
  }

  @Test
  void aVariableSetHereIsWhatNativeCodeReads() {
    assumeFalse(Platform.isWindows(), "no setenv");
    C c = Native.load(Platform.C_LIBRARY_NAME, C.class);
    NativeEnvironment.set("NETSPEC_NATIVE_ENVIRONMENT_TEST", "1");
    assertEquals("1", c.getenv("NETSPEC_NATIVE_ENVIRONMENT_TEST"));
    NativeEnvironment.set("NETSPEC_NATIVE_ENVIRONMENT_TEST", "0");
    assertEquals("0", c.getenv("NETSPEC_NATIVE_ENVIRONMENT_TEST"));
  }

  @Test
  void tensorFlowIsSeenOnceLoaded() {
    TensorFlow.version();
    assertTrue(NativeEnvironment.tensorFlowLoaded());
  }
}
