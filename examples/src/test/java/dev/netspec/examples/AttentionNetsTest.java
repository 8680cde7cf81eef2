package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Generated networks with attention modifiers train: the zoo's attention networks run backward,
 * with a finite gradient for every trainable variable, and plain SGD lowers the loss of a small
 * network carrying every modifier.
 */
class AttentionNetsTest {
  private static final int BATCH = 2;

  /** A zoo network built on a smaller image than it declares (its graph takes any size). */
  @ParameterizedTest(name = "{0} at {1}x{1}")
  @CsvSource({"seresnet50, 32", "sknet50, 32", "resnest50, 32", "senet18, 32",
      "densenet121_sk, 32"})
  void zooNetworksRunBackward(String name, int side) {
    NetworkDescriptor<?> network = Zoo.resolve(name);
    int classes = network.outputChannels();
    try (Model<NetworkGraph> model =
            Model.create(network::build, 3, side, side, Mode.TRAIN, 7L);
        TFloat32 images = randomImages(side);
        TFloat32 labels = oneHot(classes)) {
      Training training = new Training(model, classes, 0.01f);
      float[][] gradients = training.gradients(images, labels);
      assertEquals(model.network().trainableVariables().size(), gradients.length);
      int i = 0;
      int zero = 0;
      for (String variable : model.network().trainableVariables().keySet()) {
        float[] g = gradients[i++];
        double norm = 0;
        for (float v : g) {
          assertTrue(Float.isFinite(v), "gradient of " + variable + " is " + v);
          norm += v * v;
        }
        zero += norm == 0 ? 1 : 0;
      }
      assertEquals(0, zero, "variables of " + name + " without gradient");
    }
  }

  @Test
  void sgdLowersTheLossOfANetworkWithEveryModifier() {
    try (Model<TinyAttentionNet> model =
            Model.create(TinyAttentionNet.DESCRIPTOR, Mode.TRAIN, 5L);
        TFloat32 images = ZooTest.randomImages(8, TinyAttentionNet.DESCRIPTOR.input());
        TFloat32 labels = oneHot(8, 4)) {
      assertEquals(TinyAttentionNet.PARAMETERS, model.parameterCount());
      Training training = new Training(model, 4, 0.05f);
      float first = training.step(images, labels);
      float last = first;
      for (int s = 0; s < 30; s++) {
        last = training.step(images, labels);
      }
      assertTrue(Float.isFinite(first) && Float.isFinite(last), first + " → " + last);
      assertTrue(last < 0.5f * first, "loss fell from " + first + " to " + last);
    }
  }

  /** Softmax cross-entropy on one-hot labels, its gradients and plain SGD steps. */
  private static final class Training {
    private final Model<?> model;
    private final Placeholder<TFloat32> target;
    private final Operand<TFloat32> loss;
    private final Output<?>[] gradients;
    private final List<Op> steps;

    Training(Model<?> model, int classes, float rate) {
      this.model = model;
      Ops tf = Ops.create(model.graph());
      target = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));
      loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(model.network().output(), target)
          .loss(), tf.constant(0));
      Map<String, Variable<TFloat32>> variables = model.network().trainableVariables();
      gradients = model.graph().addGradients(loss.asOutput(),
          variables.values().stream().map(Variable::asOutput).toArray(Output<?>[]::new));
      steps = new ArrayList<>(model.network().updateOps());
      int i = 0;
      for (Variable<TFloat32> variable : variables.values()) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gradient = (Operand<TFloat32>) gradients[i++];
        steps.add(tf.train.applyGradientDescent(variable, tf.constant(rate), gradient));
      }
    }

    float[][] gradients(TFloat32 images, TFloat32 labels) {
      Session.Runner runner = model.session().runner().feed(model.images(), images)
          .feed(target, labels);
      for (Output<?> gradient : gradients) {
        runner.fetch(gradient);
      }
      try (Result result = runner.run()) {
        float[][] values = new float[gradients.length][];
        for (int i = 0; i < gradients.length; i++) {
          TFloat32 g = (TFloat32) result.get(i);
          values[i] = new float[Math.toIntExact(g.size())];
          g.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(values[i], false, false));
        }
        return values;
      }
    }

    float step(TFloat32 images, TFloat32 labels) {
      Session.Runner runner = model.session().runner().feed(model.images(), images)
          .feed(target, labels).fetch(loss);
      steps.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  private static TFloat32 randomImages(int side) {
    TFloat32 images = TFloat32.tensorOf(Shape.of(BATCH, side, side, 3));
    SplittableRandom random = new SplittableRandom(3);
    images.scalars().forEach(s -> s.setFloat((float) (random.nextDouble() * 2 - 1)));
    return images;
  }

  private static TFloat32 oneHot(int classes) {
    return oneHot(BATCH, classes);
  }

  private static TFloat32 oneHot(int batch, int classes) {
    TFloat32 labels = TFloat32.tensorOf(Shape.of(batch, classes));
    SplittableRandom random = new SplittableRandom(11);
    for (int n = 0; n < batch; n++) {
      int label = random.nextInt(classes);
      for (int c = 0; c < classes; c++) {
        labels.setFloat(c == label ? 1f : 0f, n, c);
      }
    }
    return labels;
  }
}
