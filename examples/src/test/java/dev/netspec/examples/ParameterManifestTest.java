package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.InputShape;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.io.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The variables the processor lists for every zoo network ({@code <Class>.parameters.tsv}, from
 * its graphs of primitives) are exactly those the runtime creates when it builds the network, in
 * either mode: the same names in the same order, the same shapes and the same trainable flags.
 */
class ParameterManifestTest {

  static Stream<Arguments> networks() {
    return Zoo.all().entrySet().stream().flatMap(e -> Stream.of(Mode.values())
        .map(mode -> Arguments.of(e.getKey(), e.getValue(), mode)));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("networks")
  void manifestIsTheBuiltNetworksVariables(String name, NetworkDescriptor<?> network, Mode mode)
      throws IOException {
    List<String> manifest = manifest(network.type());
    List<String> live = new ArrayList<>();
    // building the graph creates every variable; nothing needs to run
    try (Graph graph = new Graph()) {
      for (VariableStore.Entry entry : build(network, graph, mode).variables().entries()) {
        String listed = live.size() < manifest.size() ? manifest.get(live.size()) : "";
        live.add(entry.name() + "\t" + torchLayout(entry.shape(), listed) + "\t"
            + entry.trainable());
      }
    }
    assertEquals(String.join("\n", manifest), String.join("\n", live),
        "the variables of " + name + " in " + mode);
  }

  private static List<String> manifest(Class<?> type) throws IOException {
    String resource = type.getSimpleName() + ".parameters.tsv";
    try (InputStream in = type.getResourceAsStream(resource)) {
      assertNotNull(in, "no " + resource + " beside " + type.getName());
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  /** The network built on an images placeholder of its declared size (any size if dynamic). */
  private static NetworkGraph build(NetworkDescriptor<?> descriptor, Graph graph, Mode mode) {
    InputShape input = descriptor.input();
    Ops tf = Ops.create(graph);
    Operand<TFloat32> images = tf.placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, input.height(), input.width(), input.channels())));
    return descriptor.build(tf, images, mode);
  }

  /**
   * A variable's shape in PyTorch's layout, as the manifest gives it: convolution weights are
   * kept as HWIO ({@code [k, k, in, out]}, PyTorch's {@code [out, in, k, k]}) and linear weights
   * as {@code [in, out]} (PyTorch's {@code [out, in]}); a factor per channel {@code [C]} is
   * PyTorch's {@code [C, 1, 1]} where the manifest's line {@code listed} says so and an import maps
   * that shape onto it (ConvNeXt's layer scale, broadcast over NCHW maps in PyTorch).
   */
  private static String torchLayout(Shape shape, String listed) {
    long[] d = shape.asArray();
    String[] fields = listed.split("\t");
    if (d.length == 1 && fields.length == 3) {
      long[] torch = Arrays.stream(fields[1].replaceAll("[\\[\\] ]", "").split(","))
          .mapToLong(Long::parseLong).toArray();
      boolean channelFactors = Layout.plan(Shape.of(torch), shape, null, false)
          .filter(layout -> layout.kind() == Layout.Kind.CHANNEL_FACTORS).isPresent();
      if (channelFactors) {
        d = torch;
      }
    } else if (d.length == 4) {
      d = new long[] {d[3], d[2], d[0], d[1]};
    } else if (d.length == 2) {
      d = new long[] {d[1], d[0]};
    }
    return LongStream.of(d).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
