package dev.netspec.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;

/** The runtime and TensorFlow types generated code refers to. The processor never loads them. */
final class RuntimeTypes {
  private RuntimeTypes() {}

  static final String RUNTIME = "dev.netspec.runtime";
  static final String LAYERS_PACKAGE = RUNTIME + ".layers";

  static final ClassName OPERAND = ClassName.get("org.tensorflow", "Operand");
  static final ClassName TFLOAT32 = ClassName.get("org.tensorflow.types", "TFloat32");
  static final ClassName OPS = ClassName.get("org.tensorflow.op", "Ops");
  static final TypeName FLOAT_OPERAND = ParameterizedTypeName.get(OPERAND, TFLOAT32);

  static final ClassName NETWORK_GRAPH = ClassName.get(RUNTIME, "NetworkGraph");
  static final ClassName MODE = ClassName.get(RUNTIME, "Mode");
  static final ClassName STAGE_INFO = ClassName.get(RUNTIME, "StageInfo");
  static final ClassName INPUT_SHAPE = ClassName.get(RUNTIME, "InputShape");
  static final ClassName NETWORK_DESCRIPTOR = ClassName.get(RUNTIME, "NetworkDescriptor");
  static final ClassName FEATURE_INFO = ClassName.get(RUNTIME, "FeatureInfo");
  static final ClassName VARIABLE_STORE = ClassName.get(RUNTIME, "VariableStore");

  static final ClassName LAYERS = ClassName.get(LAYERS_PACKAGE, "Layers");
  static final ClassName NONLINEARITY = ClassName.get(LAYERS_PACKAGE, "Nonlinearity");
  static final ClassName POOLING = ClassName.get(LAYERS_PACKAGE, "Pooling");
  static final ClassName FAN_MODE = ClassName.get(LAYERS_PACKAGE, "FanMode");
  static final ClassName DENSE_FEATURES = ClassName.get(LAYERS_PACKAGE, "DenseFeatures");
}
