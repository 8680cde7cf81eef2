package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** A network built from a block of this project's own, with parallel paths. */
class TinySqueezeNetTest {
  @Test
  void aBlockOfThisProjectBuildsAndRuns() {
    assertEquals(64, TinySqueezeNet.FIRE_CHANNELS);
    try (Model<TinySqueezeNet> model = Model.create(TinySqueezeNet.class, Mode.INFERENCE, 1L);
        TFloat32 images = TFloat32.tensorOf(Shape.of(2, 32, 32, 3))) {
      images.scalars().forEach(s -> s.setFloat(0.25f));
      assertEquals(7_578L, TinySqueezeNet.PARAMETERS);
      assertEquals(TinySqueezeNet.PARAMETERS, model.parameterCount());
      try (TFloat32 logits = model.predict(images)) {
        assertEquals(Shape.of(2, 10), logits.shape());
      }
      // the second fire module's 3×3 expansion, path 1 of its branches (HWIO)
      assertEquals(Shape.of(3, 3, 8, 32), model.network().trainableVariables()
          .get("fire.1.expand.paths.1.conv.conv.weight").shape());
    }
  }
}
