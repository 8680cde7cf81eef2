package dev.netspec.runtime.io.onnx;

import com.google.protobuf.ByteString;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.AttributeProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.GraphProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.NodeProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.TensorProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph being written: nodes in the order they are added (each after what it reads),
 * initializers, and names made unique. {@link #build} keeps only what the output needs, so that a
 * converter may fold an op into another and leave the first one unread.
 */
final class OnnxGraph {
  private final List<NodeProto> nodes = new ArrayList<>();
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
  private final Set<String> names = new HashSet<>();

  /** {@code base}, or {@code base_2}, {@code base_3}, ... when taken: a new value name. */
  String fresh(String base) {
    String name = base;
    for (int i = 2; !names.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /** Reserves {@code name} as it is (the graph's input and output). */
  String exact(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException("'" + name + "' is taken");
    }
    return name;
  }

  /** A float32 or int64 initializer holding {@code value}; returns its name. */
  String initializer(String base, Constant value) {
    String name = fresh(base);
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(name);
    for (long d : value.shape()) {
      tensor.addDims(d);
    }
    ByteBuffer raw;
    if (value.isFloat()) {
      tensor.setDataType(TensorProto.DataType.FLOAT_VALUE);
      raw = ByteBuffer.allocate(value.floats().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      raw.asFloatBuffer().put(value.floats());
    } else {
      tensor.setDataType(TensorProto.DataType.INT64_VALUE);
      raw = ByteBuffer.allocate(value.ints().length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      raw.asLongBuffer().put(value.ints());
    }
    initializers.put(name, tensor.setRawData(ByteString.copyFrom(raw.array())).build());
    return name;
  }

  /** A 1-D int64 initializer (axes, shapes, pads, split sizes). */
  String ints(String base, long... values) {
    return initializer(base, Constant.ofInts(new long[] {values.length}, values));
  }

  /** A float32 scalar initializer. */
  String scalar(String base, float value) {
    return initializer(base, Constant.ofFloats(new long[0], new float[] {value}));
  }

  /** Adds a node with one output, named after the node; returns the output's name. */
  String node(String op, String name, List<String> inputs, AttributeProto... attributes) {
    String output = fresh(name);
    node(op, name, inputs, List.of(output), attributes);
    return output;
  }

  /** Adds a node writing the given outputs. */
  void node(String op, String name, List<String> inputs, List<String> outputs,
      AttributeProto... attributes) {
    nodes.add(NodeProto.newBuilder().setOpType(op).setName(fresh(name + "#node"))
        .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(Arrays.asList(attributes))
        .build());
  }

  static AttributeProto attribute(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  static AttributeProto attribute(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
        .setF(value).build();
  }

  static AttributeProto attribute(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /**
   * The graph from {@code input} to {@code output}: the nodes the output depends on, in the order
   * they were added, and the initializers those read.
   */
  GraphProto build(String name, ValueInfoProto input, ValueInfoProto output) {
    Map<String, NodeProto> producers = new HashMap<>();
    for (NodeProto node : nodes) {
      node.getOutputList().forEach(o -> producers.put(o, node));
    }
    Set<NodeProto> needed = new HashSet<>();
    Set<String> read = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>(List.of(output.getName()));
    while (!pending.isEmpty()) {
      String value = pending.pop();
      if (!read.add(value)) {
        continue;
      }
      NodeProto producer = producers.get(value);
      if (producer != null && needed.add(producer)) {
        pending.addAll(producer.getInputList());
      }
    }
    GraphProto.Builder graph = GraphProto.newBuilder().setName(name).addInput(input)
        .addOutput(output);
    nodes.stream().filter(needed::contains).forEach(graph::addNode);
    initializers.forEach((n, tensor) -> {
      if (read.contains(n)) {
        graph.addInitializer(tensor);
      }
    });
    return graph.build();
  }
}
