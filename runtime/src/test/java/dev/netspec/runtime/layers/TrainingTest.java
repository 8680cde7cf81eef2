package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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

/** Gradients flow through every block: plain SGD on a tiny network lowers the loss. */
class TrainingTest {

  private static final int BATCH = 16;
  private static final int CLASSES = 3;

  @Test
  void sgdLowersTheLossThroughEveryBlock() {
    try (Model<Nets.Net> model = Nets.model(3, 8, 8, Mode.TRAIN, (layers, x) -> {
      Operand<TFloat32> y =
          FamilyUnits.convBnAct(layers.in("stem"), x, 8, 3, 1, 1, 1, Nonlinearity.PRELU);
      Layers dilated = layers.in("dilated");
      y = dilated.in("act").activation(dilated.in("bn").batchNorm(y), Nonlinearity.RELU);
      y = dilated.in("conv").conv(y, 8, 3, 1, 2, 2, 2, false);
      y = FamilyUnits.bottlenecks(layers.in("layer1"), y, 2, 4, 2); // 16 channels, 4×4
      // ResNet-D's shortcut: an average pool in ceil mode that does not count the padding
      Operand<TFloat32> shortcut = layers.in("pooled").pool(y, Pooling.AVG, 3, 1, 1, true, false);
      y = layers.dropout(layers.add(y, shortcut), 0.05f);
      y = FamilyUnits.splitAttention(layers.in("attention"), y, 16, 1, 2, 2, 32);
      y = FamilyUnits.denseBlock(layers.in("dense"), y, 4, 2, 2, 2); // 24
      // a dual path stage with a squeeze-excite gate: 8 + 3 · 4 channels, 2×2
      y = FamilyUnits.dualPath(layers.in("dpn"), y, 1, 8, 4, 4, 2, 2, 2);
      Layers transition = layers.in("transition");
      y = transition.in("act").activation(transition.in("norm").batchNorm(y), Nonlinearity.RELU);
      y = transition.in("conv").conv(y, 12, 1, 1, 0, 1, 1, false);
      y = transition.pool(y, Pooling.AVG, 2, 2, 0, true); // 1×1
      return FamilyUnits.classifier(layers.in("fc"), y, CLASSES);
    })) {
      assertEquals("[-1, 3]", model.network().output().shape().toString());
      Ops tf = Ops.create(model.graph());
      Placeholder<TFloat32> labels =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, CLASSES)));
      Operand<TFloat32> loss = tf.math.mean(
          tf.nn.softmaxCrossEntropyWithLogits(model.network().output(), labels).loss(),
          tf.constant(0));
      Map<String, Variable<TFloat32>> trainable = model.network().trainableVariables();
      Output<?>[] grads = model.graph().addGradients(loss.asOutput(),
          trainable.values().stream().map(Operand::asOutput).toArray(Output<?>[]::new));
      List<Op> steps = new ArrayList<>();
      int i = 0;
      for (Variable<TFloat32> v : trainable.values()) {
        @SuppressWarnings("unchecked")
        Output<TFloat32> g = (Output<TFloat32>) grads[i++];
        assertTrue(g != null, "a gradient for every trainable variable");
        steps.add(tf.assign(v, tf.math.sub(v, tf.math.mul(tf.constant(0.1f), g))));
      }
      steps.addAll(model.network().updateOps());

      float[] images = Nets.gaussian(BATCH * 8 * 8 * 3, 11);
      float[] oneHot = new float[BATCH * CLASSES];
      for (int n = 0; n < BATCH; n++) {
        oneHot[n * CLASSES + n % CLASSES] = 1f;
      }
      float first = Float.NaN;
      float last = Float.NaN;
      try (TFloat32 x = Nets.tensor(images, BATCH, 8, 8, 3);
          TFloat32 y = Nets.tensor(oneHot, BATCH, CLASSES)) {
        for (int step = 0; step < 20; step++) {
          Session.Runner runner = model.session().runner().feed(model.images(), x)
              .feed(labels, y).fetch(loss);
          steps.forEach(runner::addTarget);
          try (Result result = runner.run()) {
            last = ((TFloat32) result.get(0)).getFloat();
          }
          if (step == 0) {
            first = last;
          }
        }
      }
      assertTrue(Float.isFinite(last), "loss " + last);
      assertTrue(last < 0.5f * first, "loss fell from " + first + " to " + last);
      // running statistics moved away from their initial values
      try (TFloat32 mean = model.read("stem.bn.running_mean")) {
        assertTrue(Math.abs(mean.getFloat(0)) > 1e-4f);
      }
    }
  }
}
