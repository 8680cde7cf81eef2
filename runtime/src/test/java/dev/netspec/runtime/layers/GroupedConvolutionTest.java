package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.layers.GroupedConvolution.Path;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Both ways of building a grouped convolution give PyTorch's result and exact gradients; the
 * property and the probe choose between them. The native path is checked only where this
 * process's TensorFlow trains it (oneDNN on); {@code GroupedConvolutionWithoutOneDnnTest} covers
 * a process where it does not.
 */
class GroupedConvolutionTest {

  @ParameterizedTest(name = "{0}: {1}x{1}x{2} -> {3}, k{4} s{5} g{6}")
  @CsvSource({
      "SPLIT, 6, 4, 8, 3, 1, 2",
      "SPLIT, 7, 8, 8, 3, 2, 4",
      "SPLIT, 5, 6, 3, 1, 1, 3",
      "NATIVE, 6, 4, 8, 3, 1, 2",
      "NATIVE, 7, 8, 8, 3, 2, 4",
      "NATIVE, 5, 6, 3, 1, 1, 3",
  })
  void matchesTheDirectConvolutionAndItsGradients(Path path, int size, int in, int out, int k,
      int stride, int groups) {
    assumeTrue(path == Path.SPLIT || GroupedConvolution.nativeWorks(),
        "native grouped convolution does not train in this process: " + GroupedConvolution.describe());
    int outSize = (size - k) / stride + 1;
    float[] x = gaussian(2 * size * size * in, 1);
    float[] w = gaussian(k * k * (in / groups) * out, 2);
    float[] r = gaussian(2 * outSize * outSize * out, 3);
    try (Graph graph = new Graph(); Session session = new Session(graph);
        TFloat32 xt = Nets.tensor(x, 2, size, size, in);
        TFloat32 wt = Nets.tensor(w, k, k, in / groups, out);
        TFloat32 rt = Nets.tensor(r, 2, outSize, outSize, out)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(xt.shape()));
      Placeholder<TFloat32> filter = tf.placeholder(TFloat32.class, Placeholder.shape(wt.shape()));
      Placeholder<TFloat32> weights = tf.placeholder(TFloat32.class, Placeholder.shape(rt.shape()));
      Operand<TFloat32> y = GroupedConvolution.apply(tf, input, filter, groups, stride, path);
      assertArrayEquals(new long[] {2, outSize, outSize, out}, y.shape().asArray());
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, weights), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          new Output<?>[] {input.asOutput(), filter.asOutput()});
      try (Result result = session.runner().feed(input, xt).feed(filter, wt).feed(weights, rt)
          .fetch(y).fetch(grads[0]).fetch(grads[1]).run()) {
        float[] expected = Nets.conv(x, 2, size, size, in, w, k, out, stride, 0, 1, groups);
        assertArrayEquals(expected, Nets.values((TFloat32) result.get(0)), 1e-4f, "output");
        // the loss is linear in input and filter, so central differences are exact
        double[] byInput = Nets.finiteDifferences(xd -> Nets.dot(r, Nets.conv(Nets.floats(xd), 2,
            size, size, in, w, k, out, stride, 0, 1, groups)), Nets.doubles(x), 0.5);
        double[] byFilter = Nets.finiteDifferences(wd -> Nets.dot(r, Nets.conv(x, 2, size, size,
            in, Nets.floats(wd), k, out, stride, 0, 1, groups)), Nets.doubles(w), 0.5);
        assertArrayEquals(Nets.floats(byInput), Nets.values((TFloat32) result.get(1)), 1e-3f,
            "d loss / d input");
        assertArrayEquals(Nets.floats(byFilter), Nets.values((TFloat32) result.get(2)), 1e-3f,
            "d loss / d filter");
      }
    }
  }

  @Test
  void thePropertyChoosesThePath() {
    assertEquals(Path.SPLIT, GroupedConvPaths.with("split", GroupedConvolution::path));
    assertEquals(Path.NATIVE, GroupedConvPaths.with("native", GroupedConvolution::path));
    assertEquals(Path.NATIVE, GroupedConvPaths.with(" Native ", GroupedConvolution::path));
    Path auto = GroupedConvolution.nativeWorks() ? Path.NATIVE : Path.SPLIT;
    assertEquals(auto, GroupedConvPaths.with("auto", GroupedConvolution::path));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GroupedConvPaths.with("fast", GroupedConvolution::path));
    assertEquals("-Dnetspec.groupedConv=fast is not a grouped-convolution path; use auto, native"
        + " or split", e.getMessage());
  }

  @Test
  void describeSaysWhichPathAndWhy() {
    assertEquals("split (forced by -Dnetspec.groupedConv=split)",
        GroupedConvPaths.with("split", GroupedConvolution::describe));
    String auto = GroupedConvPaths.with("auto", GroupedConvolution::describe);
    assertTrue(GroupedConvolution.nativeWorks() ? auto.startsWith("native (")
        : auto.startsWith("split (native grouped Conv2D fails here: "), auto);
  }

  /** Layers.conv builds one Conv2D on the native path and one per group on the split path. */
  @ParameterizedTest
  @CsvSource({"native, 1", "split, 4"})
  void layersFollowThePath(String path, int conv2dOps) {
    long found = GroupedConvPaths.with(path, () -> {
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        Operand<TFloat32> x =
            tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6, 6, 8)));
        Operand<TFloat32> y = Layers.create(tf, Mode.TRAIN).in("c").conv(x, 8, 3, 1, 1, 1, 4, false);
        assertArrayEquals(new long[] {-1, 6, 6, 8}, y.shape().asArray());
        return StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(graph.operations(), 0), false)
            .map(GraphOperation.class::cast)
            .filter(op -> op.type().equals("Conv2D"))
            .count();
      }
    });
    assertEquals(conv2dOps, found);
  }
}
