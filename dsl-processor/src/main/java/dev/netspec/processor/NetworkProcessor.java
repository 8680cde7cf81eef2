package dev.netspec.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Network;
import dev.netspec.processor.check.Diagnostics;
import dev.netspec.processor.check.NetworkChecker;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.read.BlockReader;
import dev.netspec.processor.read.DeclarationOrder;
import dev.netspec.processor.read.ModifierKind;
import dev.netspec.processor.read.SpecReader;
import dev.netspec.processor.read.StageKind;
import dev.netspec.processor.read.UnreadableValueException;
import dev.netspec.processor.write.DotWriter;
import dev.netspec.processor.write.NetworkWriter;
import dev.netspec.processor.write.ParameterManifest;
import dev.netspec.processor.write.ShapeTable;
import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The netspec annotation processor: for each {@code @Network} spec it reads the annotations into
 * a model, checks every stage's shape arithmetic, and writes the graph-building class.
 *
 * <p>Options: {@code -Anetspec.summary=true} prints each network's shape table as a note.
 */
@AutoService(Processor.class)
public final class NetworkProcessor extends AbstractProcessor {
  static final String SUMMARY_OPTION = "netspec.summary";

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> types = new LinkedHashSet<>();
    types.add(Network.class.getCanonicalName());
    types.add(BlockSpec.class.getCanonicalName());
    types.add(Let.class.getCanonicalName());
    for (StageKind kind : StageKind.values()) {
      types.add(kind.annotationName());
    }
    for (ModifierKind kind : ModifierKind.values()) {
      types.add(kind.annotationName());
    }
    return types;
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(SUMMARY_OPTION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /** Types compiled from source, in every round so far: all others come from class files. */
  private final Set<String> sourceTypes = new HashSet<>();

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (Element root : round.getRootElements()) {
      collectTypes(root);
    }
    Diagnostics diagnostics = new Diagnostics(processingEnv.getMessager());
    for (Element element : round.getElementsAnnotatedWith(Network.class)) {
      if (element instanceof TypeElement spec) {
        processSafely(spec, diagnostics);
      }
    }
    for (Element element : round.getElementsAnnotatedWith(BlockSpec.class)) {
      if (element instanceof TypeElement block) {
        checkBlockSafely(block, diagnostics);
      }
    }
    reportStrayStages(round, diagnostics);
    // Never claim the annotations: other processors may want them too.
    return false;
  }

  private void collectTypes(Element element) {
    if (element instanceof TypeElement type) {
      sourceTypes.add(type.getQualifiedName().toString());
      type.getEnclosedElements().forEach(this::collectTypes);
    }
  }

  private void processSafely(TypeElement spec, Diagnostics diagnostics) {
    try {
      process(spec, diagnostics);
    } catch (UnreadableValueException e) {
      // The compiler reports the broken value itself; generating nothing is all that is left.
    } catch (RuntimeException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          "netspec could not process " + spec.getSimpleName() + " (" + e
              + "); please report this with the spec", spec);
    }
  }

  /** A block's own errors, reported once in its file, whether or not a spec uses it. */
  private void checkBlockSafely(TypeElement block, Diagnostics diagnostics) {
    try {
      new BlockReader(processingEnv.getElementUtils(), diagnostics, order()).read(block);
    } catch (UnreadableValueException e) {
      // the compiler reports the broken value itself
    } catch (RuntimeException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          "netspec could not process " + block.getSimpleName() + " (" + e
              + "); please report this with the block", block);
    }
  }

  private DeclarationOrder order() {
    return new DeclarationOrder(processingEnv.getElementUtils(), processingEnv.getFiler(), sourceTypes);
  }

  private void process(TypeElement spec, Diagnostics diagnostics) {
    var elements = processingEnv.getElementUtils();
    DeclarationOrder order = order();
    int before = diagnostics.errorCount();
    Optional<NetworkModel> model = new SpecReader(elements, diagnostics, order).read(spec)
        .flatMap(decl -> new NetworkChecker(elements, diagnostics, order).check(decl));
    // The reader goes on past errors in the spec's methods, for the checker to report the rest.
    if (model.isEmpty() || diagnostics.errorCount() > before) {
      return;
    }
    if (Boolean.parseBoolean(processingEnv.getOptions().get(SUMMARY_OPTION))) {
      diagnostics.note(spec, model.get().className() + "\n" + ShapeTable.render(model.get()));
    }
    TypeElement generated = elements.getTypeElement("javax.annotation.processing.Generated");
    JavaFile file = new NetworkWriter(generated == null ? null : ClassName.get(generated))
        .write(model.get(), spec, getClass().getName());
    try {
      file.writeTo(processingEnv.getFiler());
      writeResource(model.get(), spec, ".dot", DotWriter.render(model.get()));
      writeResource(model.get(), spec, ".stages.dot", DotWriter.overview(model.get()));
      writeResource(model.get(), spec, ".parameters.tsv", ParameterManifest.render(model.get()));
    } catch (IOException e) {
      diagnostics.error(spec, "could not write " + model.get().className() + ": " + e.getMessage());
    }
  }

  /**
   * A resource next to the class, {@code <Class><suffix>}: the diagrams ({@code .dot}, every
   * block; {@code .stages.dot}, the overview) for {@code netspec graph}, the variables ({@code
   * .parameters.tsv}) for checking a build against them.
   */
  private void writeResource(NetworkModel model, TypeElement spec, String suffix, String text)
      throws IOException {
    FileObject resource = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT,
        model.packageName(), model.className() + suffix, spec);
    try (Writer writer = resource.openWriter()) {
      writer.write(text);
    }
  }

  /** A stage or modifier annotation outside a spec builds nothing: say so rather than ignore it. */
  private void reportStrayStages(RoundEnvironment round, Diagnostics diagnostics) {
    for (StageKind kind : StageKind.values()) {
      if (!kind.alsoModifier()) {
        reportStray(round, diagnostics, kind.annotationName(), kind.label(), false);
      }
    }
    reportStray(round, diagnostics, Let.class.getCanonicalName(), "@Let", true);
    for (ModifierKind kind : ModifierKind.values()) {
      reportStray(round, diagnostics, kind.annotationName(), kind.label(), true);
    }
  }

  /** @param modifier whether a stage annotation on the same method already says it all */
  private void reportStray(RoundEnvironment round, Diagnostics diagnostics, String annotationName,
      String label, boolean modifier) {
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(annotationName);
    if (annotation == null) {
      return;
    }
    for (Element method : round.getElementsAnnotatedWith(annotation)) {
      Element owner = method.getEnclosingElement();
      if (method.getKind() == ElementKind.METHOD && owner.getAnnotation(Network.class) == null
          && owner.getAnnotation(BlockSpec.class) == null
          && !(modifier && SpecReader.stageMirrors(method).stream()
              .anyMatch(m -> !SpecReader.qualifiedName(m).equals(annotationName)))) {
        diagnostics.error(method, label + " on " + owner.getSimpleName() + "."
            + method.getSimpleName() + "(), but " + owner.getSimpleName()
            + " is annotated neither @Network nor @BlockSpec; add @Network (a network) or"
            + " @BlockSpec (a block) to it");
      }
    }
  }
}
