package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The reference the kernels are checked against is PyTorch's convolution (its gradients by finite
 * differences); {@link Layers#conv} gives that convolution's output and gradients on the shapes
 * oneDNN gets wrong on some CPUs, whatever this CPU's kernels do; the kernel-free path is right
 * everywhere; and every other path is right wherever the check accepts it.
 */
class ConvolutionPathsTest {

  /** A convolution of a 2×h×(h+1) input, with its output weights and the loss sum(y · r). */
  private record Case(ConvSpec spec, int h, int w, float[] x, float[] filter, float[] r) {
    static Case of(ConvSpec spec, int h) {
      int w = h + 1;
      int ho = (int) spec.outputSize(h);
      int wo = (int) spec.outputSize(w);
      return new Case(spec, h, w, gaussian(2 * h * w * spec.inChannels(), 1),
          gaussian(spec.kernel() * spec.kernel() * spec.inPerGroup() * spec.outChannels(), 2),
          gaussian(2 * ho * wo * spec.outChannels(), 3));
    }

    float[] conv(float[] input, float[] weights) {
      return Nets.conv(input, 2, h, w, spec.inChannels(), weights, spec.kernel(),
          spec.outChannels(), spec.stride(), spec.padding(), spec.dilation(), spec.groups());
    }

    /** PyTorch's output, d loss / d input and d loss / d filter (central differences). */
    float[][] expected() {
      // the loss is linear in input and filter, so central differences are exact
      double[] byInput = Nets.finiteDifferences(
          xd -> Nets.dot(r, conv(Nets.floats(xd), filter)), Nets.doubles(x), 0.5);
      double[] byFilter = Nets.finiteDifferences(
          wd -> Nets.dot(r, conv(x, Nets.floats(wd))), Nets.doubles(filter), 0.5);
      return new float[][] {conv(x, filter), Nets.floats(byInput), Nets.floats(byFilter)};
    }
  }

  private static ConvSpec spec(int in, int out, int groups, int k, int stride, int padding,
      int dilation) {
    return new ConvSpec(in, out, groups, k, stride, padding, dilation);
  }

  @ParameterizedTest(name = "{0}→{1} g{2} k{3} s{4} p{5} d{6}")
  @CsvSource({
      "4, 8, 2, 3, 1, 0, 1", "8, 8, 4, 3, 2, 1, 1", "6, 3, 3, 1, 1, 0, 1", "5, 7, 1, 4, 2, 1, 1",
      "6, 6, 6, 3, 2, 1, 1", "4, 6, 2, 3, 2, 2, 2", "3, 2, 1, 5, 3, 2, 1",
  })
  void theReferenceIsPyTorchsConvolution(int in, int out, int groups, int k, int stride,
      int padding, int dilation) {
    Case c = Case.of(spec(in, out, groups, k, stride, padding, dilation), 7);
    float[][] expected = c.expected();
    ReferenceConvolution.Result found =
        ReferenceConvolution.run(c.spec(), c.x(), 2, c.h(), c.w(), c.filter(), c.r());
    assertArrayEquals(expected[0], found.output(), 1e-4f, "output");
    assertArrayEquals(expected[1], found.inputGradient(), 1e-3f, "input gradient");
    assertArrayEquals(expected[2], found.filterGradient(), 1e-3f, "filter gradient");
  }

  /**
   * The shapes TensorFlow 2.18's oneDNN gets wrong on AMD EPYC (family 26): one output channel
   * per group with 2, 3, 4 or 8 input channels per group (outputs and input gradients), and the
   * input gradient of strided 1 → 1 per group convolutions with kernels of 3 and more. Layers
   * builds each on a path that is right here.
   */
  @ParameterizedTest(name = "{0}→{1} g{2} k{3} s{4} p{5} d{6}")
  @CsvSource({
      "6, 3, 3, 1, 1, 0, 1", "8, 4, 4, 3, 1, 1, 1", "12, 3, 3, 3, 2, 1, 1", "16, 2, 2, 1, 1, 0, 1",
      "16, 4, 4, 3, 2, 0, 1", "8, 8, 8, 3, 2, 1, 1", "6, 6, 6, 5, 2, 2, 1", "1, 1, 1, 3, 2, 1, 1",
      "4, 4, 4, 3, 3, 0, 1", "8, 8, 8, 3, 1, 2, 2",
  })
  void layersComputePyTorchsConvolutionOnShapesOneDnnGetsWrong(int in, int out, int groups, int k,
      int stride, int padding, int dilation) {
    Case c = Case.of(spec(in, out, groups, k, stride, padding, dilation), 9);
    float[][] found;
    try (Model<Nets.Net> model = Nets.model(in, c.h(), c.w(), Mode.TRAIN, (layers, x) ->
            layers.in("c").conv(x, out, k, stride, padding, dilation, groups, false));
        TFloat32 filter = Nets.tensor(c.filter(), k, k, in / groups, out)) {
      model.assign(Map.of("c.weight", filter));
      List<Operand<TFloat32>> wrt = new ArrayList<>();
      wrt.add(model.images());
      wrt.addAll(model.network().trainableVariables().values());
      float[][] gradients = Nets.gradients(model, c.r(), wrt, c.x(), 2, c.h(), c.w(), in);
      found = new float[][] {Nets.predict(model, c.x(), 2, c.h(), c.w(), in), gradients[0],
          gradients[1]};
    }
    float[][] expected = c.expected();
    String[] what = {"output", "input gradient", "filter gradient"};
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(expected[i], found[i], 1e-3f, what[i] + " ("
          + KernelCheck.process().verdicts().stream().filter(v -> v.spec().equals(c.spec()))
              .findFirst().map(KernelCheck.Verdict::describe).orElse("?") + ")");
    }
  }

  /**
   * Every path on every shape: the kernel-free one is right everywhere, and every other is right
   * wherever the check (on a smaller input) accepts it.
   */
  @ParameterizedTest(name = "{0} {1}→{2} g{3} k{4} s{5} p{6} d{7}")
  @CsvSource({
      "TAPS, 4, 8, 2, 3, 1, 1, 1", "TAPS, 6, 3, 3, 1, 1, 0, 1", "TAPS, 6, 6, 6, 3, 2, 1, 1",
      "TAPS, 4, 6, 2, 3, 2, 2, 2", "TAPS, 3, 5, 1, 4, 2, 1, 1", "TAPS, 5, 4, 1, 3, 2, 0, 3",
      "NATIVE, 4, 8, 2, 3, 1, 1, 1", "NATIVE, 6, 6, 6, 3, 2, 1, 1", "NATIVE, 3, 5, 1, 4, 2, 1, 1",
      "SPLIT, 4, 8, 2, 3, 1, 1, 1", "SPLIT, 6, 3, 3, 1, 1, 0, 1", "SPLIT, 4, 6, 2, 3, 2, 2, 2",
      "UNSTRIDED, 6, 6, 6, 3, 2, 1, 1", "UNSTRIDED, 3, 5, 1, 4, 3, 1, 1",
      "UNSTRIDED_SPLIT, 8, 4, 4, 3, 2, 1, 1",
  })
  void everyPathIsRightWhereverTheCheckAcceptsIt(ConvPath path, int in, int out, int groups,
      int k, int stride, int padding, int dilation) {
    ConvSpec spec = spec(in, out, groups, k, stride, padding, dilation);
    assertTrue(path.appliesTo(spec));
    Optional<String> wrong = KernelCheck.process().verify(spec, path, true, false);
    if (path == ConvPath.TAPS) {
      assertEquals(Optional.empty(), wrong, "the kernel-free path");
    }
    if (wrong.isPresent()) {
      return;
    }
    Case c = Case.of(spec, 11);
    float[][] found = run(c, (tf, x, filter) -> new Convolution(tf).build(x, filter, spec, path,
        false));
    float[][] expected = c.expected();
    assertArrayEquals(expected[0], found[0], 1e-3f, "output");
    assertArrayEquals(expected[1], found[1], 1e-3f, "input gradient");
    assertArrayEquals(expected[2], found[2], 1e-3f, "filter gradient");
  }

  /** The kernel-free path keeps static sizes static and takes inputs of any size. */
  @Test
  void tapsKeepStaticShapesAndTakeDynamicOnes() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ConvSpec spec = spec(6, 4, 2, 3, 2, 1, 1);
      Operand<TFloat32> filter = tf.zeros(tf.constant(new long[] {3, 3, 3, 4}), TFloat32.class);
      Operand<TFloat32> fixed = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 9, 8, 6)));
      assertArrayEquals(new long[] {-1, 5, 4, 4},
          new Convolution(tf).build(fixed, filter, spec, ConvPath.TAPS, false).shape().asArray());
      Operand<TFloat32> any = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, -1, -1, 6)));
      assertEquals(4,
          new Convolution(tf).build(any, filter, spec, ConvPath.TAPS, false).shape().get(3));
    }
  }

  @Test
  void thePropertyPinsThePath() {
    assertEquals(Optional.of(ConvPath.SPLIT),
        GroupedConvPaths.with("split", GroupedConvolution::pinned));
    assertEquals(Optional.of(ConvPath.NATIVE),
        GroupedConvPaths.with(" Native ", GroupedConvolution::pinned));
    assertEquals(Optional.empty(), GroupedConvPaths.with("auto", GroupedConvolution::pinned));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GroupedConvPaths.with("fast", GroupedConvolution::pinned));
    assertEquals("-Dnetspec.groupedConv=fast is not a grouped-convolution path; use auto, native"
        + " or split", e.getMessage());
    assertEquals("split (pinned by -Dnetspec.groupedConv=split, verified per configuration)",
        GroupedConvPaths.with("split", GroupedConvolution::describe));
  }

  /** Layers.conv builds one Conv2D on the native path and one per group on the split path. */
  @ParameterizedTest
  @CsvSource({"native, 1", "split, 4"})
  void layersFollowThePinnedPath(String path, int conv2dOps) {
    long found = GroupedConvPaths.orSkip(path, () -> {
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

  private interface Build {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter);
  }

  /** Output, d loss / d input and d loss / d filter of {@code build} on the case. */
  private static float[][] run(Case c, Build build) {
    ConvSpec s = c.spec();
    long[] outShape = {2, s.outputSize(c.h()), s.outputSize(c.w()), s.outChannels()};
    try (Graph graph = new Graph(); Session session = new Session(graph);
        TFloat32 xt = Nets.tensor(c.x(), 2, c.h(), c.w(), s.inChannels());
        TFloat32 wt = Nets.tensor(c.filter(), s.kernel(), s.kernel(), s.inPerGroup(),
            s.outChannels());
        TFloat32 rt = Nets.tensor(c.r(), outShape)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(xt.shape()));
      Placeholder<TFloat32> filter = tf.placeholder(TFloat32.class, Placeholder.shape(wt.shape()));
      Placeholder<TFloat32> weights = tf.placeholder(TFloat32.class, Placeholder.shape(rt.shape()));
      Operand<TFloat32> y = build.apply(tf, input, filter);
      assertArrayEquals(outShape, y.shape().asArray());
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, weights), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          new Output<?>[] {input.asOutput(), filter.asOutput()});
      try (Result result = session.runner().feed(input, xt).feed(filter, wt).feed(weights, rt)
          .fetch(y).fetch(grads[0]).fetch(grads[1]).run()) {
        return new float[][] {Nets.values((TFloat32) result.get(0)),
            Nets.values((TFloat32) result.get(1)), Nets.values((TFloat32) result.get(2))};
      }
    }
  }
}
