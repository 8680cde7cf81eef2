package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.layers.GroupedConvolution;
import dev.netspec.runtime.layers.KernelCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A generated DPN trains on whichever grouped-convolution path the process takes: gradients
 * reach every variable, agree between the split and the native path (where the native path
 * trains), and plain SGD lowers the loss.
 */
class DualPathTrainingTest {
  private static final int BATCH = 8;
  private static final int CLASSES = 4;

  /** The loss, its gradients for every trainable variable, and SGD steps, in a model's graph. */
  private record Training(Model<TinyDualPath> model, Placeholder<TFloat32> target,
      Operand<TFloat32> loss, List<Output<?>> gradients, List<Op> steps) {

    static Training of(String groupedConvPath) {
      String before = System.getProperty(GroupedConvolution.PROPERTY);
      System.setProperty(GroupedConvolution.PROPERTY, groupedConvPath);
      Model<TinyDualPath> model;
      try {
        model = Model.create(TinyDualPath.class, Mode.TRAIN, 5L);
      } finally {
        if (before == null) {
          System.clearProperty(GroupedConvolution.PROPERTY);
        } else {
          System.setProperty(GroupedConvolution.PROPERTY, before);
        }
      }
      Ops tf = Ops.create(model.graph());
      Placeholder<TFloat32> target =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, CLASSES)));
      Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(
          model.network().output(), target).loss(), tf.constant(0));
      Map<String, Variable<TFloat32>> variables = model.network().trainableVariables();
      List<Output<?>> gradients = List.of(model.graph().addGradients(loss.asOutput(),
          variables.values().stream().map(Variable::asOutput).toArray(Output<?>[]::new)));
      List<Op> steps = new ArrayList<>(model.network().updateOps());
      int i = 0;
      for (Variable<TFloat32> variable : variables.values()) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gradient = (Operand<TFloat32>) gradients.get(i++);
        steps.add(tf.train.applyGradientDescent(variable, tf.constant(0.1f), gradient));
      }
      return new Training(model, target, loss, gradients, steps);
    }

    Session.Runner feed(TFloat32 images, TFloat32 labels) {
      return model.session().runner().feed(model.images(), images).feed(target, labels);
    }

    float[][] gradients(TFloat32 images, TFloat32 labels) {
      Session.Runner runner = feed(images, labels);
      gradients.forEach(runner::fetch);
      try (Result result = runner.run()) {
        float[][] values = new float[gradients.size()][];
        for (int i = 0; i < values.length; i++) {
          TFloat32 g = (TFloat32) result.get(i);
          values[i] = new float[Math.toIntExact(g.size())];
          g.copyTo(DataBuffers.of(values[i], false, false));
        }
        return values;
      }
    }

    float step(TFloat32 images, TFloat32 labels) {
      Session.Runner runner = feed(images, labels).fetch(loss);
      steps.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  @Test
  void gradientsReachEveryVariableAndAgreeOnBothPaths() {
    try (TFloat32 images = ZooTest.randomImages(BATCH, TinyDualPath.DESCRIPTOR.input());
        TFloat32 labels = oneHot()) {
      float[][] split;
      Training training = Training.of("split");
      try (Model<TinyDualPath> model = training.model()) {
        split = training.gradients(images, labels);
        List<String> names = List.copyOf(model.network().trainableVariables().keySet());
        assertEquals(names.size(), split.length);
        assertTrue(names.contains("down.2.se.fc2.bias"), names.toString());
        for (int i = 0; i < split.length; i++) {
          assertTrue(moves(split[i]), "no gradient reaches " + names.get(i));
        }
      }
      if (!KernelCheck.groupedKernelsTrain()) {
        return; // this process trains on the split path only; checked above
      }
      Training nativePath = Training.of("native");
      Model<TinyDualPath> pinned;
      try {
        pinned = nativePath.model();
      } catch (IllegalStateException e) {
        assertTrue(e.getMessage().contains("pins this path"), e.getMessage());
        return; // a native kernel of this network is wrong on this CPU: nothing to compare
      }
      try (Model<TinyDualPath> model = pinned) {
        float[][] grouped = nativePath.gradients(images, labels);
        for (int i = 0; i < split.length; i++) {
          assertArrayEquals(split[i], grouped[i], 1e-4f * (1 + maxAbs(split[i])),
              "gradient " + i + " on the native path");
        }
      }
    }
  }

  @Test
  void sgdLowersTheLoss() {
    Training training = Training.of("auto");
    try (Model<TinyDualPath> model = training.model();
        TFloat32 images = ZooTest.randomImages(BATCH, TinyDualPath.DESCRIPTOR.input());
        TFloat32 labels = oneHot()) {
      float first = training.step(images, labels);
      float last = first;
      for (int s = 0; s < 30; s++) {
        last = training.step(images, labels);
      }
      assertTrue(Float.isFinite(first) && Float.isFinite(last), first + " → " + last);
      assertTrue(last < 0.5f * first, "loss fell from " + first + " to " + last + " on the "
          + GroupedConvolution.describe() + " path");
    }
  }

  private static boolean moves(float[] gradient) {
    boolean moves = false;
    for (float v : gradient) {
      assertTrue(Float.isFinite(v));
      moves |= v != 0;
    }
    return moves;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static TFloat32 oneHot() {
    TFloat32 labels = TFloat32.tensorOf(Shape.of(BATCH, CLASSES));
    SplittableRandom random = new SplittableRandom(11);
    for (int n = 0; n < BATCH; n++) {
      int label = random.nextInt(CLASSES);
      for (int c = 0; c < CLASSES; c++) {
        labels.setFloat(c == label ? 1f : 0f, n, c);
      }
    }
    return labels;
  }
}
