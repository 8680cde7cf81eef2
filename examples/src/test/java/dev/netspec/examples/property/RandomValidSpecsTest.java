package dev.netspec.examples.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.StageInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Random valid specs over every stage kind, modifier and network setting, compiled by javac with
 * the processor and built in TensorFlow: what the processor computed at compile time is what the
 * built graph has. {@code PARAMETERS} is the live parameter count; every stage's channels, height
 * and width are those of its output in the graph, statically and for a concrete batch; its stride
 * is the product of the strides the spec declares; {@code OUTPUT_CHANNELS} is the output's last
 * dimension; one random batch gives finite values. A spec whose size is dynamic gives the same
 * figures, and the same shapes at run time, as the spec for the concrete size. Every feature
 * and every activation appears in some try.
 */
class RandomValidSpecsTest {
  private static final long SEED = 20240611L;
  private static final int TRIES = 40;
  /** A shrink step compiles and builds a network, a few seconds: this bounds shrinking. */
  private static final int SHRINK_STEPS = 100;

  @Test
  void whatJavacComputesIsWhatTheGraphHas() {
    Coverage coverage = new Coverage();
    qt().withFixedSeed(SEED).withExamples(TRIES).withShrinkCycles(SHRINK_STEPS)
        .withReporter(new ShrunkSpecReporter())
        .forAll(NetworkDraw.gen().map(NetworkDraw::write))
        .checkAssert(spec -> {
          assertCompilesAndBuildsAsDescribed(spec);
          coverage.count(spec);
        });
    coverage.assertEverythingAppeared();
  }

  private static void assertCompilesAndBuildsAsDescribed(RandomSpec spec) {
    CompiledSpecs compiled = CompiledSpecs.compile(spec.sources());
    assertTrue(compiled.succeeded(), () -> "compile errors:\n" + compiled.diagnostics());
    NetworkDescriptor<?> fixed = NetworkDescriptor.of(compiled.network(spec.className()));
    assertConstants(spec, fixed);
    assertBuildsAsDescribed(spec, fixed, fixed);
    spec.dynamicClassName().ifPresent(name -> {
      NetworkDescriptor<?> dynamic = NetworkDescriptor.of(compiled.network(name));
      assertSameFiguresForAnySize(fixed, dynamic);
      assertBuildsAsDescribed(spec, dynamic, fixed);
    });
  }

  /** The one place that builds a generated class into a model, for these tests. */
  static <G extends NetworkGraph> Model<G> create(NetworkDescriptor<G> network, Mode mode,
      long seed) {
    return Model.create(network, mode, seed, ModelOptions.defaults().withThreads(1));
  }

  /**
   * {@code STAGES} lists the spec's stages, each with the stride the spec declares; the
   * {@code *_CHANNELS} and {@code *_STRIDE} constants repeat it; the output constants are the last
   * stage's.
   */
  private static void assertConstants(RandomSpec spec, NetworkDescriptor<?> description) {
    List<StageInfo> stages = description.stages();
    assertEquals(spec.stages().stream().map(DeclaredStage::method).toList(),
        stages.stream().map(StageInfo::name).toList(), "STAGES");
    for (int i = 0; i < stages.size(); i++) {
      StageInfo stage = stages.get(i);
      String constant = stage.name().toUpperCase(Locale.ROOT);
      assertEquals(spec.stages().get(i).stage().output().stride(), stage.stride(),
          "stride of " + stage.name());
      assertEquals(stage.channels(), intConstant(description, constant + "_CHANNELS"));
      assertEquals(stage.stride(), intConstant(description, constant + "_STRIDE"));
    }
    StageInfo last = stages.get(stages.size() - 1);
    assertEquals(last.channels(), description.outputChannels(), "OUTPUT_CHANNELS");
    assertEquals(last.stride(), description.outputStride(), "OUTPUT_STRIDE");
  }

  private static int intConstant(NetworkDescriptor<?> description, String name) {
    try {
      return description.type().getField(name).getInt(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(description.name() + " has no constant " + name, e);
    }
  }

  /** The spec for any size states what the spec for the concrete size does, but the sizes. */
  private static void assertSameFiguresForAnySize(NetworkDescriptor<?> fixed,
      NetworkDescriptor<?> dynamic) {
    assertEquals(fixed.parameters(), dynamic.parameters(), "PARAMETERS for any size");
    assertEquals(fixed.outputChannels(), dynamic.outputChannels(), "OUTPUT_CHANNELS for any size");
    assertEquals(fixed.outputStride(), dynamic.outputStride(), "OUTPUT_STRIDE for any size");
    assertTrue(dynamic.input().minSize() <= Math.min(fixed.input().height(),
        fixed.input().width()),
        () -> "MIN_INPUT_SIZE " + dynamic.input().minSize() + " refuses " + fixed.input().describe());
    for (int i = 0; i < fixed.stages().size(); i++) {
      StageInfo f = fixed.stages().get(i);
      StageInfo d = dynamic.stages().get(i);
      assertEquals(List.of(f.name(), f.channels(), f.stride(), f.flat(), f.parameters()),
          List.of(d.name(), d.channels(), d.stride(), d.flat(), d.parameters()),
          "stage " + f.name() + " for any size");
    }
  }

  /**
   * Builds {@code description}'s class and runs the spec's images through it: its live
   * parameters, every stage's static and run-time shape, and its output are those {@code
   * expected} (the description of the class for the images' size) states.
   */
  private static <G extends NetworkGraph> void assertBuildsAsDescribed(RandomSpec spec,
      NetworkDescriptor<G> description, NetworkDescriptor<?> expected) {
    NetworkDraw.Run run = spec.run();
    String what = description.name() + " in " + run.mode();
    try (Model<G> model = create(description, run.mode(), run.seed());
        TFloat32 images = images(spec)) {
      assertEquals(description.parameters(), model.parameterCount(), "live parameters of " + what);
      List<StageInfo> stages = expected.stages();
      String[] names = stages.stream().map(StageInfo::name).toArray(String[]::new);
      Map<String, TFloat32> outputs = model.features(images, names);
      try {
        for (StageInfo stage : stages) {
          Operand<?> operand = description.stageOutput(model.network(), stage.name());
          StageInfo declared = description.stages().get(StageInfo.indexOf(stages, stage.name()));
          assertArrayEquals(shape(declared, -1).asArray(), operand.shape().asArray(),
              "static shape of " + what + "." + stage.name() + ": " + operand.shape());
          assertArrayEquals(shape(stage, run.batch()).asArray(),
              outputs.get(stage.name()).shape().asArray(), "shape of " + what + "."
                  + stage.name() + " at run time: " + outputs.get(stage.name()).shape());
        }
      } finally {
        outputs.values().forEach(TFloat32::close);
      }
      try (TFloat32 output = model.predict(images)) {
        long[] shape = output.shape().asArray();
        assertEquals(description.outputChannels(), shape[shape.length - 1], "output of " + what);
        assertAllFinite("output of " + what, output);
      }
    }
  }

  /** {@code [batch, height, width, channels]}, or {@code [batch, features]} once flat. */
  private static Shape shape(StageInfo stage, long batch) {
    return stage.flat() ? Shape.of(batch, stage.channels())
        : Shape.of(batch, stage.height(), stage.width(), stage.channels());
  }

  /** A batch of the spec's size, uniform in [-1, 1) from the try's seed. */
  private static TFloat32 images(RandomSpec spec) {
    SpecShape input = spec.input();
    TFloat32 images = TFloat32.tensorOf(
        Shape.of(spec.run().batch(), input.height(), input.width(), input.channels()));
    SplittableRandom random = new SplittableRandom(spec.run().seed());
    images.scalars().forEach(s -> s.setFloat((float) (random.nextDouble() * 2 - 1)));
    return images;
  }

  private static void assertAllFinite(String what, TFloat32 values) {
    long[] nonFinite = {0};
    StringBuilder first = new StringBuilder();
    values.scalars().forEachIndexed((index, scalar) -> {
      float value = scalar.getFloat();
      if (!Float.isFinite(value) && nonFinite[0]++ == 0) {
        first.append(value).append(" at ").append(Arrays.toString(index));
      }
    });
    assertEquals(0, nonFinite[0], () -> what + " has " + nonFinite[0] + " non-finite values of "
        + values.size() + ", the first " + first);
  }
}
