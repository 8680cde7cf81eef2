package dev.netspec.examples.property;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netspec.annotations.Network;
import dev.netspec.processor.NetworkProcessor;
import dev.netspec.runtime.NetworkGraph;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

/**
 * Spec sources compiled in memory by javac with the netspec processor, generated classes and
 * all, and loaded by a class loader of their own, so that each try's classes stand apart.
 */
final class CompiledSpecs extends ClassLoader {
  private static final Pattern TYPE = Pattern.compile("public interface (\\w+)");

  /** What a spec and its generated class compile against: one class from each jar. */
  private static final List<File> CLASSPATH = Stream.of(Network.class, NetworkGraph.class,
      Ops.class, Shape.class).map(CompiledSpecs::location).distinct().toList();

  private final Compilation compilation;

  private CompiledSpecs(Compilation compilation) {
    super(CompiledSpecs.class.getClassLoader());
    this.compilation = compilation;
  }

  /** Compiles every source (each a spec in package {@code t}) in one javac run. */
  static CompiledSpecs compile(List<String> sources) {
    List<JavaFileObject> files = sources.stream().map(CompiledSpecs::file).toList();
    Compilation compilation = Compiler.javac()
        .withProcessors(new NetworkProcessor())
        .withOptions("--release", "17", "-encoding", "UTF-8")
        .withClasspath(CLASSPATH)
        .compile(files);
    return new CompiledSpecs(compilation);
  }

  private static JavaFileObject file(String source) {
    Matcher type = TYPE.matcher(source);
    if (!type.find()) {
      throw new IllegalArgumentException("no public interface in\n" + source);
    }
    return JavaFileObjects.forSourceString("t." + type.group(1), source);
  }

  /** Whether javac compiled everything without an error. */
  boolean succeeded() {
    return compilation.status() == Compilation.Status.SUCCESS;
  }

  /** Every error and warning with its file and line. */
  String diagnostics() {
    return compilation.diagnostics().stream()
        .map(d -> d.getKind() + " " + (d.getSource() == null ? "-" : d.getSource().getName())
            + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }

  /** The generated network class called {@code name}. */
  Class<? extends NetworkGraph> network(String name) {
    try {
      return loadClass(name).asSubclass(NetworkGraph.class);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name + " was not generated; diagnostics:\n" + diagnostics(), e);
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    int dot = name.lastIndexOf('.');
    Optional<JavaFileObject> file = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
        dot < 0 ? "" : name.substring(0, dot), name.substring(dot + 1) + ".class");
    if (file.isEmpty()) {
      throw new ClassNotFoundException(name);
    }
    try (InputStream in = file.get().openInputStream()) {
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static File location(Class<?> type) {
    try {
      return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
