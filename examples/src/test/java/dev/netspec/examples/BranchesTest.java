package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * {@code @Branches} as the runtime builds it: every path reads the stage's input, and the join
 * adds them or concatenates them in order. The paths of {@link ParallelPathsSpec} are linear, so
 * the output is computed here from the weights the network drew.
 */
class BranchesTest {

  @Test
  void pathsReadTheStageInput_andAreAddedOrConcatenatedInOrder() {
    try (Model<ParallelPaths> model = Model.create(ParallelPaths.DESCRIPTOR, Mode.INFERENCE, 3L);
        TFloat32 images = ZooTest.randomImages(2, ParallelPaths.DESCRIPTOR.input());
        TFloat32 output = model.predict(images)) {
      assertEquals(ParallelPaths.PARAMETERS, model.parameterCount());
      assertEquals(2 * 3 * 2 + 3 * 2 + 3 * 1, ParallelPaths.PARAMETERS);
      Map<String, float[][]> w = weights(model);
      for (int n = 0; n < 2; n++) {
        for (int y = 0; y < 3; y++) {
          for (int x = 0; x < 3; x++) {
            float[] pixel = {images.getFloat(n, y, x, 0), images.getFloat(n, y, x, 1)};
            float[] added = sum(times(pixel, w.get("added.paths.0")), times(pixel, w.get("added.paths.1")));
            float[] first = times(added, w.get("concatenated.paths.0"));
            float[] second = times(added, w.get("concatenated.paths.1"));
            float[] expected = {first[0], first[1], second[0]};
            for (int c = 0; c < 3; c++) {
              assertEquals(expected[c], output.getFloat(n, y, x, c), 1e-5,
                  "image " + n + " at " + y + "," + x + " channel " + c);
            }
          }
        }
      }
    }
  }

  /** Each path's 1×1 kernel as [in][out], by the path's scope. */
  private static Map<String, float[][]> weights(Model<ParallelPaths> model) {
    Map<String, float[][]> kernels = new java.util.HashMap<>();
    model.network().trainableVariables().forEach((name, variable) -> {
      try (Result result = model.session().runner().fetch(variable).run()) {
        TFloat32 hwio = (TFloat32) result.get(0);
        int in = (int) hwio.shape().get(2);
        int out = (int) hwio.shape().get(3);
        float[][] kernel = new float[in][out];
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            kernel[i][o] = hwio.getFloat(0, 0, i, o);
          }
        }
        kernels.put(name.substring(0, name.length() - ".conv.conv.weight".length()), kernel);
      }
    });
    assertEquals(java.util.Set.of("added.paths.0", "added.paths.1", "concatenated.paths.0",
        "concatenated.paths.1"), kernels.keySet());
    return kernels;
  }

  private static float[] times(float[] v, float[][] kernel) {
    float[] out = new float[kernel[0].length];
    for (int o = 0; o < out.length; o++) {
      for (int i = 0; i < v.length; i++) {
        out[o] += v[i] * kernel[i][o];
      }
    }
    return out;
  }

  private static float[] sum(float[] a, float[] b) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }
}
