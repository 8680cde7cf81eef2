package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.InputShape;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A generated network built for TRAIN and then for INFERENCE into one graph has one set of
 * variables: as many variable ops as the network has variables, its declared parameters, and both
 * builds on the same ops.
 */
class SharedGraphTest {

  private static final List<Class<? extends NetworkGraph>> NETWORKS =
      List.of(TinyNet.class, TinyDualPath.class, TinyAttentionNet.class, TinyFacePReLU.class);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void bothModesOfAGeneratedNetworkShareOneSetOfVariables(int which) throws Exception {
    Class<? extends NetworkGraph> type = NETWORKS.get(which);
    NetworkDescriptor<? extends NetworkGraph> descriptor = NetworkDescriptor.of(type);
    InputShape input = descriptor.input();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1,
          input.height(), input.width(), input.channels())));
      VariableStore training = descriptor.build(tf, images, Mode.TRAIN)
          .variables();
      VariableStore inference = descriptor.build(tf, images, Mode.INFERENCE)
          .variables();

      long parameters = descriptor.parameters();
      assertEquals(parameters, training.parameterCount());
      assertEquals(parameters, inference.parameterCount());
      assertEquals(opNames(training), opNames(inference));
      assertEquals(training.size(), new HashSet<>(opNames(training)).size(), "no duplicates");
      assertEquals(variableOps(graph), Set.copyOf(opNames(training)));
      assertTrue(inference.updateOps().isEmpty());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aModelsEvaluationBuildAddsNoVariable(boolean memoryEfficient) {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.TRAIN, 2L,
        ModelOptions.defaults().withMemoryEfficient(memoryEfficient))) {
      Model<TinyNet> evaluation = model.forMode(Mode.INFERENCE);
      assertEquals(opNames(model.variables()), opNames(evaluation.variables()));
      assertEquals(variableOps(model.graph()), Set.copyOf(opNames(model.variables())));
      assertEquals(TinyNet.PARAMETERS, evaluation.parameterCount());
    }
  }

  private static List<String> opNames(VariableStore store) {
    return store.entries().stream().map(e -> e.variable().op().name()).toList();
  }

  private static Set<String> variableOps(Graph graph) {
    Set<String> names = new HashSet<>();
    graph.operations().forEachRemaining(op -> {
      if (((GraphOperation) op).type().equals("VariableV2")) {
        names.add(op.name());
      }
    });
    return names;
  }
}
