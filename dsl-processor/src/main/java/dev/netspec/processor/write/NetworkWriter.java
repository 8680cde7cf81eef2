package dev.netspec.processor.write;

import static dev.netspec.processor.write.RuntimeTypes.FAN_MODE;
import static dev.netspec.processor.write.RuntimeTypes.FEATURE_INFO;
import static dev.netspec.processor.write.RuntimeTypes.FLOAT_OPERAND;
import static dev.netspec.processor.write.RuntimeTypes.INPUT_SHAPE;
import static dev.netspec.processor.write.RuntimeTypes.LAYERS;
import static dev.netspec.processor.write.RuntimeTypes.MODE;
import static dev.netspec.processor.write.RuntimeTypes.NETWORK_DESCRIPTOR;
import static dev.netspec.processor.write.RuntimeTypes.NETWORK_GRAPH;
import static dev.netspec.processor.write.RuntimeTypes.NONLINEARITY;
import static dev.netspec.processor.write.RuntimeTypes.OPS;
import static dev.netspec.processor.write.RuntimeTypes.STAGE_INFO;
import static dev.netspec.processor.write.RuntimeTypes.VARIABLE_STORE;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netspec.processor.ir.TensorShape;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.StageModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes the class for a checked network: the shape constants, the {@code DESCRIPTOR} the runtime
 * takes, {@code build}, one private build method and one accessor per stage, and the shape table
 * in Javadoc. Output depends on the model alone, so it is the same on every run and under every
 * compiler.
 */
public final class NetworkWriter {

  /**
   * The fields the generated class declares besides one per stage (and {@code <STAGE>_CHANNELS},
   * {@code <STAGE>_STRIDE}): a stage may not take one of these names.
   */
  public static final List<String> FIELDS = List.of("layers", "STAGES", "FEATURES", "DESCRIPTOR",
      "INPUT_CHANNELS", "INPUT_HEIGHT", "INPUT_WIDTH", "MIN_INPUT_SIZE", "OUTPUT_CHANNELS",
      "OUTPUT_STRIDE", "PARAMETERS", "MACS");
  private final ClassName generatedAnnotation;

  /** @param generatedAnnotation {@code javax.annotation.processing.Generated}, or null where absent */
  public NetworkWriter(ClassName generatedAnnotation) {
    this.generatedAnnotation = generatedAnnotation;
  }

  public JavaFile write(NetworkModel model, TypeElement spec, String processorName) {
    ClassName self = ClassName.get(model.packageName(), model.className());
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(ClassName.get(spec))
        .addSuperinterface(NETWORK_GRAPH)
        .addOriginatingElement(spec)
        .addJavadoc(classJavadoc(model));
    if (generatedAnnotation != null) {
      type.addAnnotation(AnnotationSpec.builder(generatedAnnotation)
          .addMember("value", "$S", processorName).build());
    }
    addConstants(type, model);
    type.addField(descriptor(self));
    type.addField(FieldSpec.builder(LAYERS, "layers", Modifier.PRIVATE, Modifier.FINAL).build());
    for (StageModel stage : model.stages()) {
      type.addField(FieldSpec.builder(FLOAT_OPERAND, stage.name(), Modifier.PRIVATE).build());
    }
    type.addField(FieldSpec.builder(FLOAT_OPERAND, "output", Modifier.PRIVATE).build());
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(LAYERS, "layers")
        .addStatement("this.layers = layers")
        .build());
    type.addMethod(buildFromOps(model, self));
    type.addMethod(buildIntoLayers(model, self));
    type.addMethod(buildStages(model));
    List<TypeSpec> records = new ArrayList<>();
    for (StageModel stage : model.stages()) {
      StageCode.Written code = StageCode.write(stage);
      type.addMethod(code.stage()).addMethods(code.blocks());
      records.addAll(code.records());
    }
    for (StageModel stage : model.stages()) {
      type.addMethod(accessor(stage.name(), stage.name()));
    }
    type.addMethod(stageOutput(model));
    type.addMethod(accessor("output", "output"));
    type.addMethod(MethodSpec.methodBuilder("variables")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(VARIABLE_STORE)
        .addStatement("return layers.store()")
        .build());
    type.addTypes(records);
    return JavaFile.builder(model.packageName(), type.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  private static CodeBlock classJavadoc(NetworkModel model) {
    return CodeBlock.builder()
        .add("$L, the network of {@link $L}, built as a TensorFlow graph.\n\n",
            model.className(), model.spec())
        .add("<p>Shapes are height x width x channels for one image; MACs are the multiply-accumulates\n")
        .add("of convolutions and linear layers$L.\n\n",
            model.input().fixed() ? " at " + model.input().height() + "x" + model.input().width()
                : " (? where the size is known only at run time)")
        .add("<pre>\n$L</pre>\n", ShapeTable.render(model))
        .build();
  }

  private static void addConstants(TypeSpec.Builder type, NetworkModel model) {
    TensorShape input = model.input();
    TensorShape output = model.output();
    intConstant(type, "INPUT_CHANNELS", input.channels(), "Channels of the input image.");
    intConstant(type, "INPUT_HEIGHT", input.height(), "Height of the input image; -1 = any.");
    intConstant(type, "INPUT_WIDTH", input.width(), "Width of the input image; -1 = any.");
    intConstant(type, "MIN_INPUT_SIZE", model.minInputSize(),
        "The smallest height and width the network accepts.");
    intConstant(type, "OUTPUT_CHANNELS", output.channels(), "The last dimension of the output.");
    intConstant(type, "OUTPUT_STRIDE", output.flat() ? 0 : output.stride(),
        "Input side / output side; 0 once the output is flat.");
    longConstant(type, "PARAMETERS", model.cost().parameters(),
        "Trainable parameters, as PyTorch counts them for the same network.");
    longConstant(type, "MACS", model.cost().macs(),
        "Multiply-accumulates for one image at the declared size; -1 when the size is dynamic.");
    for (StageModel stage : model.stages()) {
      String prefix = Names.constant(stage.name());
      intConstant(type, prefix + "_CHANNELS", stage.output().channels(),
          "Output channels of {@link #" + stage.name() + "()}.");
      intConstant(type, prefix + "_STRIDE", stage.output().flat() ? 0 : stage.output().stride(),
          "Total stride after {@link #" + stage.name() + "()}; 0 once flat.");
    }
    CodeBlock.Builder stages = CodeBlock.builder().add("$T.of(\n", List.class);
    for (int i = 0; i < model.stages().size(); i++) {
      StageModel stage = model.stages().get(i);
      TensorShape out = stage.output();
      String kind = stage.stage().kind();
      String description = stage.stage().description();
      stages.add("    new $T($S, $S, $L, $L, $L, $L, $L, $L, $LL, $LL$L)$L", STAGE_INFO,
          stage.name(), kind, stage.linear(), out.height(), out.width(), out.channels(),
          out.flat() ? 0 : out.stride(),
          out.flat(), stage.cost().parameters(), stage.cost().macs(),
          description.equals(kind) ? "" : CodeBlock.of(", $S", description),
          i < model.stages().size() - 1 ? ",\n" : ")");
    }
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), STAGE_INFO),
            "STAGES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Every stage's output shape, parameters and MACs, in order.\n")
        .initializer(stages.build())
        .build());
    List<StageModel> maps = model.stages().stream().filter(s -> !s.output().flat()).toList();
    CodeBlock.Builder features = CodeBlock.builder().add("$T.of(", List.class);
    for (int i = 0; i < maps.size(); i++) {
      StageModel stage = maps.get(i);
      features.add("\n    new $T($S, $L, $L)$L", FEATURE_INFO, stage.name(),
          stage.output().channels(), stage.output().stride(), i < maps.size() - 1 ? "," : "");
    }
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), FEATURE_INFO),
            "FEATURES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The feature maps a neck can take: every stage that yields one, with its channels and stride.\n")
        .initializer(features.add(")").build())
        .build());
  }

  /** The descriptor, from the constants above and the methods below. */
  private static FieldSpec descriptor(ClassName self) {
    return FieldSpec.builder(ParameterizedTypeName.get(NETWORK_DESCRIPTOR, self), "DESCRIPTOR",
            Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("This network as the runtime takes it: the constants above, and how to build it and read\n")
        .addJavadoc("its stages' outputs.\n")
        .initializer(CodeBlock.builder()
            .add("new $T<>(\n", NETWORK_DESCRIPTOR)
            .add("    $T.class,\n", self)
            .add("    new $T(INPUT_CHANNELS, INPUT_HEIGHT, INPUT_WIDTH, MIN_INPUT_SIZE),\n", INPUT_SHAPE)
            .add("    OUTPUT_CHANNELS, OUTPUT_STRIDE, PARAMETERS, MACS, STAGES, FEATURES,\n")
            .add("    $T::build, $T::build, $T::stageOutput)", self, self, self)
            .build())
        .build();
  }

  private static void intConstant(TypeSpec.Builder type, String name, int value, String doc) {
    type.addField(FieldSpec.builder(TypeName.INT, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n")
        .initializer("$L", value)
        .build());
  }

  private static void longConstant(TypeSpec.Builder type, String name, long value, String doc) {
    type.addField(FieldSpec.builder(TypeName.LONG, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n")
        .initializer("$LL", value)
        .build());
  }

  private static MethodSpec buildFromOps(NetworkModel model, ClassName self) {
    return MethodSpec.methodBuilder("build")
        .addJavadoc("Creates the variables and the graph of the whole network.\n\n")
        .addJavadoc("@param images {@code [batch, height, width, channels]}\n")
        .addJavadoc("@param mode {@link $T#TRAIN} uses batch statistics and dropout\n", MODE)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(OPS, "tf")
        .addParameter(FLOAT_OPERAND, "images")
        .addParameter(MODE, "mode")
        .addStatement("return build($T.create(tf, mode), images, $S)", LAYERS,
            model.stages().get(model.stages().size() - 1).name())
        .build();
  }

  private static MethodSpec buildIntoLayers(NetworkModel model, ClassName self) {
    return MethodSpec.methodBuilder("build")
        .addJavadoc("Builds the stages up to and including {@code lastStage} in {@code layers}, with\n")
        .addJavadoc("this network's activation, epsilon and initialization: how another spec's\n")
        .addJavadoc("{@code @Use} builds this one.\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(LAYERS, "layers")
        .addParameter(FLOAT_OPERAND, "images")
        .addParameter(String.class, "lastStage")
        .addStatement("$T network = new $T(layers.withDefaults($T.$L, $L, $T.$L))", self, self,
            NONLINEARITY, model.activation(), Names.floatLiteral(model.epsilon()), FAN_MODE,
            model.fanIn() ? "FAN_IN" : "FAN_OUT")
        .addStatement("network.output = network.buildStages(images, $T.indexOf(STAGES, lastStage))",
            STAGE_INFO)
        .addStatement("return network")
        .build();
  }

  private static MethodSpec buildStages(NetworkModel model) {
    MethodSpec.Builder method = MethodSpec.methodBuilder("buildStages")
        .addModifiers(Modifier.PRIVATE)
        .returns(FLOAT_OPERAND)
        .addParameter(FLOAT_OPERAND, "images")
        .addParameter(TypeName.INT, "last");
    List<StageModel> stages = model.stages();
    // Fields are qualified with 'this.': a stage may be named like a parameter (images, last).
    String previous = "images";
    for (int i = 0; i < stages.size(); i++) {
      String name = stages.get(i).name();
      method.addStatement("this.$N = $N($L)", name, Names.builder(name), previous);
      previous = "this." + name;
      if (i < stages.size() - 1) {
        method.beginControlFlow("if (last == $L)", i).addStatement("return $L", previous).endControlFlow();
      }
    }
    return method.addStatement("return $L", previous).build();
  }

  /** The stage called {@code stage}'s output by name, for the descriptor: null until built. */
  private static MethodSpec stageOutput(NetworkModel model) {
    CodeBlock.Builder cases = CodeBlock.builder().add("return switch (stage) {\n$>");
    for (StageModel stage : model.stages()) {
      cases.add("case $S -> this.$N;\n", stage.name(), stage.name());
    }
    cases.add("default -> throw new $T(\"no stage '\" + stage + \"'\");\n",
        IllegalArgumentException.class);
    return MethodSpec.methodBuilder("stageOutput")
        .addJavadoc("The output of the stage called {@code stage}; null until built.\n")
        .addModifiers(Modifier.PRIVATE)
        .returns(FLOAT_OPERAND)
        .addParameter(String.class, "stage")
        .addCode(cases.add("$<};\n").build())
        .build();
  }

  private static MethodSpec accessor(String method, String field) {
    return MethodSpec.methodBuilder(method)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(FLOAT_OPERAND)
        .addStatement("return $N", field)
        .build();
  }
}
