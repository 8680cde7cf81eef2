package dev.netspec.processor.read;

import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Network;
import dev.netspec.processor.check.Diagnostics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads a spec interface into a {@link SpecDecl}: its stage methods in declaration order, each
 * with its one stage annotation. Reports what makes a method no stage at all (its signature, a
 * missing or second stage annotation) and what makes a type no spec.
 */
public final class SpecReader {
  /** Methods of {@code NetworkGraph} that a stage must not shadow. */
  public static final Set<String> RESERVED_NAMES =
      Set.of("output", "variables", "trainableVariables", "updateOps");

  private static final String OPERAND = "org.tensorflow.Operand";
  private static final String TFLOAT32 = "org.tensorflow.types.TFloat32";

  private final Elements elements;
  private final Diagnostics diagnostics;
  private final DeclarationOrder order;

  public SpecReader(Elements elements, Diagnostics diagnostics, DeclarationOrder order) {
    this.elements = elements;
    this.diagnostics = diagnostics;
    this.order = order;
  }

  /**
   * The spec, or empty when the type cannot be one or declares no stage (the reasons are
   * reported). A spec with errors in its methods is still read, for the checks that do not need
   * them: its errors are counted, so nothing is generated from it.
   */
  public Optional<SpecDecl> read(TypeElement type) {
    Optional<AnnotationMirror> network = mirror(type, Network.class.getCanonicalName());
    if (network.isEmpty()) {
      return Optional.empty();
    }
    int before = diagnostics.errorCount();
    boolean isInterface = checkType(type, network.get());
    Stages read = readStages(type);
    for (StageDecl stage : read.stages()) {
      mirror(stage.method(), dev.netspec.annotations.Let.class.getCanonicalName()).ifPresent(let ->
          diagnostics.error(stage.method(), let, "@Let sets attributes from the parameters of a"
              + " @BlockSpec; a network spec has none: write the value in "
              + stage.kind().label() + " itself"));
    }
    List<StageDecl> stages = read.stages();
    int firstGap = read.firstGap();
    if (!isInterface) {
      return Optional.empty();
    }
    if (stages.isEmpty() && diagnostics.errorCount() == before) {
      diagnostics.error(type, network.get(),
          "a network needs at least one stage: declare an abstract method with a stage annotation"
              + " such as @Conv(channels = 64)");
      return Optional.empty();
    }
    Attributes networkAttributes = Attributes.of(network.get(), elements);
    Optional<Attributes> expect =
        mirror(type, Expect.class.getCanonicalName()).map(m -> Attributes.of(m, elements));
    return Optional.of(new SpecDecl(type, networkAttributes, expect, List.copyOf(stages), firstGap));
  }

  /**
   * The stage methods of a spec or block, in declaration order.
   *
   * @param firstGap as {@link SpecDecl#firstGap()}
   */
  public record Stages(List<StageDecl> stages, int firstGap) {}

  /**
   * Reads the abstract methods of {@code type} as stages, reporting those that cannot be one and
   * annotations on methods with a body.
   */
  public Stages readStages(TypeElement type) {
    List<StageDecl> stages = new ArrayList<>();
    int firstGap = -1;
    for (ExecutableElement method : order.sort(type, ElementFilter.methodsIn(type.getEnclosedElements()))) {
      boolean read;
      if (method.getModifiers().contains(Modifier.ABSTRACT)) {
        Optional<StageDecl> stage = readStage(method);
        stage.ifPresent(stages::add);
        read = stage.isPresent();
      } else {
        List<AnnotationMirror> misplaced = stageMirrors(method);
        misplaced.forEach(m -> diagnostics.error(method, m,
            "a stage must be an abstract method; remove the body (or the annotation) of "
                + method.getSimpleName() + "()"));
        read = misplaced.isEmpty();
      }
      if (!read && firstGap < 0) {
        firstGap = stages.size();
      }
    }
    return new Stages(List.copyOf(stages), firstGap);
  }

  /** Reports what keeps the type from being a spec; whether it is an interface at all. */
  private boolean checkType(TypeElement type, AnnotationMirror network) {
    if (type.getKind() != ElementKind.INTERFACE) {
      diagnostics.error(type, network, "@Network marks an interface, but " + type.getSimpleName()
          + " is " + article(type.getKind()) + "; declare it as 'interface "
          + type.getSimpleName() + "'");
      return false;
    }
    if (!type.getTypeParameters().isEmpty()) {
      diagnostics.error(type, network, "a spec cannot have type parameters; remove "
          + type.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ")));
    }
    if (!type.getInterfaces().isEmpty()) {
      diagnostics.error(type, network, "a spec cannot extend other interfaces ("
          + type.getInterfaces().stream().map(Object::toString).collect(Collectors.joining(", "))
          + "); to reuse another spec's stages, add a stage @Use(OtherSpec.class)");
    }
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      diagnostics.error(type, network, "a spec cannot be private: the generated class implements it");
    }
    Element enclosing = type.getEnclosingElement();
    if (enclosing.getKind() != ElementKind.PACKAGE && enclosing.getModifiers().contains(Modifier.PRIVATE)) {
      diagnostics.error(type, network, "a spec cannot be nested in a private type");
    }
    return true;
  }

  private Optional<StageDecl> readStage(ExecutableElement method) {
    List<AnnotationMirror> stageMirrors = stageMirrors(method);
    String name = method.getSimpleName().toString();
    // A signature error leaves the stage's arithmetic as it is; which annotation makes the
    // stage of a method with two is anyone's guess, so that one is no stage.
    boolean oneStage = true;
    if (stageMirrors.isEmpty()) {
      diagnostics.error(method, "method " + name + "() carries no stage annotation; annotate it"
          + " with one of " + Arrays.stream(StageKind.values()).map(StageKind::label)
              .collect(Collectors.joining(", ")));
      return Optional.empty();
    }
    if (stageMirrors.size() > 1) {
      for (AnnotationMirror extra : stageMirrors.subList(1, stageMirrors.size())) {
        diagnostics.error(method, extra, "stage " + name + "() carries two stage annotations ("
            + simpleName(stageMirrors.get(0)) + " and " + simpleName(extra)
            + "); a stage is one annotation: split it into two methods");
      }
      oneStage = false;
    }
    if (method.getReturnType().getKind() == TypeKind.ERROR) {
      // The return type does not resolve: the compiler reports it; a second message would only
      // confuse ("returns <any>").
      throw new UnreadableValueException("return type of " + name + "()");
    }
    if (!isOperandOfFloat(method.getReturnType())) {
      diagnostics.error(method, "stage " + name + "() returns " + method.getReturnType()
          + "; a stage returns Operand<TFloat32> (org.tensorflow.Operand, org.tensorflow.types.TFloat32)");
    }
    if (!method.getParameters().isEmpty()) {
      diagnostics.error(method, "stage " + name + "() takes " + method.getParameters().size()
          + " parameter(s); a stage takes none: it consumes the previous stage's output");
    }
    if (!method.getTypeParameters().isEmpty()) {
      diagnostics.error(method, "stage " + name + "() cannot have type parameters");
    }
    if (RESERVED_NAMES.contains(name)) {
      diagnostics.error(method, "stage " + name + "() is named like a method of NetworkGraph ("
          + String.join(", ", RESERVED_NAMES.stream().sorted().toList()) + "); rename it");
    }
    if (!oneStage) {
      return Optional.empty();
    }
    AnnotationMirror stage = stageMirrors.get(0);
    StageKind kind = StageKind.forAnnotation(qualifiedName(stage)).orElseThrow();
    List<StageDecl.ModifierDecl> modifiers = new ArrayList<>();
    for (AnnotationMirror m : method.getAnnotationMirrors()) {
      Optional<ModifierKind> modifier = ModifierKind.forAnnotation(qualifiedName(m));
      if (modifier.isEmpty()) {
        continue;
      }
      if (kind.annotationName().equals(modifier.get().annotationName())) {
        continue; // the stage itself, such as a @SqueezeExcite stage
      }
      if (modifiers.stream().anyMatch(d -> d.kind() == modifier.get())) {
        // javac reports a repeated annotation itself; the Eclipse compiler under -proc:only does not
        diagnostics.error(method, m, "stage " + name + "() carries " + modifier.get().label()
            + " twice; a modifier applies once: remove one");
        return Optional.empty();
      }
      modifiers.add(new StageDecl.ModifierDecl(modifier.get(), Attributes.of(m, elements)));
    }
    return Optional.of(new StageDecl(method, name, kind, Attributes.of(stage, elements), List.copyOf(modifiers)));
  }

  private boolean isOperandOfFloat(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    DeclaredType declared = (DeclaredType) type;
    if (!((TypeElement) declared.asElement()).getQualifiedName().contentEquals(OPERAND)) {
      return false;
    }
    List<? extends TypeMirror> arguments = declared.getTypeArguments();
    return arguments.size() == 1
        && arguments.get(0).getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) arguments.get(0)).asElement())
            .getQualifiedName().contentEquals(TFLOAT32);
  }

  /**
   * The stage annotations on a method, in source order; one that is also a modifier counts only
   * alone (a {@code @SqueezeExcite} beside a {@code @Residual} modifies it).
   */
  public static List<AnnotationMirror> stageMirrors(Element method) {
    List<AnnotationMirror> all = method.getAnnotationMirrors().stream()
        .filter(m -> StageKind.forAnnotation(qualifiedName(m)).isPresent())
        .map(m -> (AnnotationMirror) m)
        .toList();
    List<AnnotationMirror> stages = all.stream()
        .filter(m -> !StageKind.forAnnotation(qualifiedName(m)).orElseThrow().alsoModifier())
        .toList();
    return stages.isEmpty() ? all : stages;
  }

  static Optional<AnnotationMirror> mirror(Element element, String annotation) {
    return element.getAnnotationMirrors().stream()
        .filter(m -> qualifiedName(m).equals(annotation))
        .map(m -> (AnnotationMirror) m)
        .findFirst();
  }

  public static String qualifiedName(AnnotationMirror mirror) {
    return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  private static String simpleName(AnnotationMirror mirror) {
    return "@" + mirror.getAnnotationType().asElement().getSimpleName();
  }

  private static String article(ElementKind kind) {
    return switch (kind) {
      case CLASS -> "a class";
      case ENUM -> "an enum";
      case RECORD -> "a record";
      case ANNOTATION_TYPE -> "an annotation type";
      default -> "a " + kind.toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
