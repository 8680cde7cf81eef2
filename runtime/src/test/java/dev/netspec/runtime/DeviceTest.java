package dev.netspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Device choice: parsing, the CPU, and what happens when the GPU asked for is not there. */
class DeviceTest {

  @Test
  void parsesTheCommandLinesWords() {
    assertEquals(Device.cpu(), Device.parse("cpu"));
    assertEquals(Device.gpu(0), Device.parse("GPU"));
    assertEquals(Device.gpu(2), Device.parse("gpu:2"));
    assertEquals(Device.auto(), Device.parse("auto"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
    assertTrue(e.getMessage().contains("auto, cpu, gpu or gpu:N"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu:x"));
  }

  @Test
  void theSameNetworkGivesTheSameOutputOnEveryDeviceChoice() {
    float[] cpu = predict(Device.cpu());
    assertArrayEquals(cpu, predict(Device.auto()), 1e-6f);
    // Without a visible GPU this falls back to the CPU (with one warning), as it must in CI.
    assertArrayEquals(cpu, predict(Device.gpu(0)), 1e-6f);
  }

  @Test
  void aStrictGpuThatIsNotVisibleFailsWithTheReason() {
    assumeTrue(DevicePlacement.visibleGpus() == 0, "a GPU is visible here");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 1L, Device.gpu(0).strictly()));
    assertTrue(e.getMessage().contains("GPU 0 is not visible") && e.getMessage().contains("-Pgpu"),
        e.getMessage());
  }

  private static float[] predict(Device device) {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 3L, device);
        TFloat32 images = TFloat32.tensorOf(Shape.of(1, 8, 8, 3))) {
      images.scalars().forEach(s -> s.setFloat(0.5f));
      try (TFloat32 out = model.predict(images)) {
        return new float[] {out.getFloat(0, 0), out.getFloat(0, 1)};
      }
    }
  }
}
