package dev.netspec.examples.property;

/** A stage with its method name, as one line of a spec. */
record DeclaredStage(String method, WrittenStage stage) {

  String line() {
    return "  " + stage.annotations() + " Operand<TFloat32> " + method + "();";
  }
}
