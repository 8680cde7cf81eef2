package dev.netspec.examples.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Small specs on which {@link RandomValidSpecsTest} found the built graph at fault. */
class SpecRegressionsTest {

  /** Grappler fused the BatchNorm with the Tanh into a kernel that oneDNN does not implement. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTanhAfterABatchNormRuns(Mode mode) {
    try (Model<? extends NetworkGraph> model = build("""
            @Network(input = @Input(channels = 3, height = 8, width = 8))
            public interface NetSpec {
              @Conv(channels = 4, act = Act.TANH) Operand<TFloat32> conv0();
              @BatchNorm(act = Act.TANH) Operand<TFloat32> bn1();
            }
            """, mode);
        TFloat32 images = TFloat32.tensorOf(Shape.of(2, 8, 8, 3));
        TFloat32 output = model.predict(images)) {
      assertArrayEquals(new long[] {2, 8, 8, 4}, output.shape().asArray());
    }
  }

  /**
   * A dropout in inference passes its input on, so its stage's output is the one of the stage
   * before it (or the images), and the run fetched that output twice, which TensorFlow refuses.
   */
  @Test
  void stagesThatShareTheirOutputAreFetchedTogether() {
    try (Model<? extends NetworkGraph> model = build("""
            @Network(input = @Input(channels = 3, height = 8, width = 8))
            public interface NetSpec {
              @Dropout(rate = 0.5) Operand<TFloat32> dropout0();
              @Conv(channels = 4) Operand<TFloat32> conv1();
              @Dropout(rate = 0.5) Operand<TFloat32> dropout2();
            }
            """, Mode.INFERENCE);
        TFloat32 images = TFloat32.tensorOf(Shape.of(1, 8, 8, 3))) {
      Map<String, TFloat32> features = model.features(images, "dropout0", "conv1", "dropout2");
      try {
        assertEquals(List.of("dropout0", "conv1", "dropout2"), List.copyOf(features.keySet()));
        assertArrayEquals(new long[] {1, 8, 8, 3}, features.get("dropout0").shape().asArray());
        assertArrayEquals(new long[] {1, 8, 8, 4}, features.get("dropout2").shape().asArray());
      } finally {
        features.values().forEach(TFloat32::close);
      }
    }
  }

  /**
   * A ResNet-D block that strides a 1×1 map: PyTorch's 2×2 shortcut pool in ceil mode gives 1×1,
   * as the processor computed, but the runtime refused the window as larger than the input.
   */
  @Test
  void anAverageDownsampleStridesAOnePixelMap() {
    try (Model<? extends NetworkGraph> model = build("""
            @Network(input = @Input(channels = 3, height = 8, width = 8))
            public interface NetSpec {
              @Conv(channels = 8, padding = 0, dilation = 3) Operand<TFloat32> conv0();
              @Pool Operand<TFloat32> pool1();
              @Residual(blocks = 1, planes = 8, block = Block.BASIC, stride = 2,
                  downsample = Downsample.AVG_CONV) Operand<TFloat32> layer2();
            }
            """, Mode.INFERENCE);
        TFloat32 images = TFloat32.tensorOf(Shape.of(1, 8, 8, 3));
        TFloat32 output = model.predict(images)) {
      assertArrayEquals(new long[] {1, 1, 1, 8}, output.shape().asArray());
    }
  }

  private static Model<? extends NetworkGraph> build(String spec, Mode mode) {
    CompiledSpecs compiled = CompiledSpecs.compile(List.of(SpecWriter.HEADER + spec));
    assertTrue(compiled.succeeded(), compiled::diagnostics);
    return RandomValidSpecsTest.create(NetworkDescriptor.of(compiled.network("t.Net")), mode,
        1L);
  }
}
