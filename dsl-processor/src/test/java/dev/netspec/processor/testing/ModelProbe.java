package dev.netspec.processor.testing;

import dev.netspec.annotations.Network;
import dev.netspec.processor.check.Diagnostics;
import dev.netspec.processor.check.NetworkChecker;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.read.DeclarationOrder;
import dev.netspec.processor.read.SpecReader;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Reads and checks every spec as the netspec processor does, and keeps the checked models by
 * class name instead of writing them: for tests of a model's shapes, variables and cost.
 */
public final class ModelProbe extends AbstractProcessor {
  private final Map<String, NetworkModel> models = new LinkedHashMap<>();
  private final Set<String> sourceTypes = new HashSet<>();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Network.class.getCanonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    round.getRootElements().forEach(this::collect);
    var elements = processingEnv.getElementUtils();
    Diagnostics diagnostics = new Diagnostics(processingEnv.getMessager());
    DeclarationOrder order = new DeclarationOrder(elements, processingEnv.getFiler(), sourceTypes);
    for (Element element : round.getElementsAnnotatedWith(Network.class)) {
      new SpecReader(elements, diagnostics, order).read((TypeElement) element)
          .flatMap(decl -> new NetworkChecker(elements, diagnostics, order).check(decl))
          .ifPresent(model -> models.put(model.className(), model));
    }
    return false;
  }

  private void collect(Element element) {
    if (element instanceof TypeElement type) {
      sourceTypes.add(type.getQualifiedName().toString());
      type.getEnclosedElements().forEach(this::collect);
    }
  }

  /** The checked model of the generated class {@code className}, which must exist. */
  public NetworkModel model(String className) {
    NetworkModel model = models.get(className);
    if (model == null) {
      throw new AssertionError("no model " + className + "; models: " + models.keySet());
    }
    return model;
  }
}
