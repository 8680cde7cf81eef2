package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Gradients reach every variable of a generated network, and plain SGD lowers the loss. */
class GradientFlowTest {
  private static final int BATCH = 8;
  private static final int CLASSES = 4;

  @Test
  void sgdLowersTheLossOfAGeneratedNetwork() {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.TRAIN, 5L);
        TFloat32 images = ZooTest.randomImages(BATCH, TinyNet.DESCRIPTOR.input());
        TFloat32 labels = oneHot()) {
      Ops tf = Ops.create(model.graph());
      Placeholder<TFloat32> target = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, CLASSES)));
      Operand<TFloat32> loss = tf.math.mean(
          tf.nn.softmaxCrossEntropyWithLogits(model.network().output(), target).loss(), tf.constant(0));
      Map<String, Variable<TFloat32>> variables = model.network().trainableVariables();
      Output<?>[] inputs = variables.values().stream().map(Variable::asOutput).toArray(Output<?>[]::new);
      Output<?>[] gradients = model.graph().addGradients(loss.asOutput(), inputs);
      assertEquals(variables.size(), gradients.length);
      List<Op> steps = new ArrayList<>(model.network().updateOps());
      int i = 0;
      for (Variable<TFloat32> variable : variables.values()) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gradient = (Operand<TFloat32>) gradients[i++];
        steps.add(tf.train.applyGradientDescent(variable, tf.constant(0.05f), gradient));
      }
      float first = step(model.session(), model, target, images, labels, loss, steps);
      float last = first;
      for (int s = 0; s < 30; s++) {
        last = step(model.session(), model, target, images, labels, loss, steps);
      }
      assertTrue(Float.isFinite(first) && Float.isFinite(last), first + " → " + last);
      assertTrue(last < 0.5f * first, "loss fell from " + first + " to " + last);
    }
  }

  private static float step(Session session, Model<TinyNet> model, Placeholder<TFloat32> target,
      TFloat32 images, TFloat32 labels, Operand<TFloat32> loss, List<Op> steps) {
    Session.Runner runner = session.runner().feed(model.images(), images).feed(target, labels).fetch(loss);
    steps.forEach(runner::addTarget);
    try (var result = runner.run()) {
      return ((TFloat32) result.get(0)).getFloat();
    }
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
