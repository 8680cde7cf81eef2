package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class TinyClassifierTest {
  @Test
  void theGeneratedClassIsWhereIdesLookAndRuns() {
    assertTrue(Files.exists(Path.of(
        "target/generated-sources/annotations/com/example/consumer/TinyClassifier.java")));
    try (Model<TinyClassifier> model = Model.create(TinyClassifier.class, Mode.INFERENCE, 1L);
        TFloat32 images = TFloat32.tensorOf(Shape.of(2, 32, 32, 3))) {
      images.scalars().forEach(s -> s.setFloat(0.25f));
      assertEquals(TinyClassifier.PARAMETERS, model.parameterCount());
      try (TFloat32 logits = model.predict(images)) {
        assertEquals(Shape.of(2, 10), logits.shape());
      }
    }
  }
}
