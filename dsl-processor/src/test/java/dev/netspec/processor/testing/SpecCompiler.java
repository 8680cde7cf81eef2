package dev.netspec.processor.testing;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import com.palantir.javapoet.ClassName;
import dev.netspec.annotations.Network;
import dev.netspec.processor.NetworkProcessor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles specs with the netspec processor under javac or the Eclipse compiler.
 *
 * <p>Sources are written to a directory on disk (the Eclipse compiler reads them from there) and
 * compiled with {@code -proc:only}: the processor runs and writes its class, which is not compiled,
 * since the runtime and TensorFlow are not on this module's class path. Stubs of
 * {@code org.tensorflow.Operand} and {@code org.tensorflow.types.TFloat32} let specs resolve their
 * return type.
 */
public final class SpecCompiler {
  /** The message of the processor's last-resort catch: must never appear. */
  public static final String INTERNAL_ERROR = "netspec could not process";

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern TYPE =
      Pattern.compile("^(?:public\\s+)?(?:abstract\\s+)?(?:final\\s+)?(?:@interface|interface|class|enum|record)\\s+(\\w+)",
          Pattern.MULTILINE);

  private final Tool tool;
  private final Path dir;
  private final List<String> extraOptions = new ArrayList<>();
  private final List<File> extraClasspath = new ArrayList<>();
  /** The processor in place of a fresh netspec processor per compile; null for that. */
  private Processor processor;

  public SpecCompiler(Tool tool, Path dir) {
    this.tool = tool;
    this.dir = dir;
  }

  public Tool tool() {
    return tool;
  }

  /** Adds jars or class folders to the class path: specs compiled earlier. */
  public SpecCompiler withClasspath(File... entries) {
    extraClasspath.addAll(List.of(entries));
    return this;
  }

  /** Runs {@code other} in place of the netspec processor, such as a {@link ModelProbe}. */
  public SpecCompiler withProcessor(Processor other) {
    processor = other;
    return this;
  }

  /** Adds compiler options, such as {@code -Anetspec.summary=true}. */
  public SpecCompiler withOptions(String... options) {
    extraOptions.addAll(List.of(options));
    return this;
  }

  /**
   * Writes a source file under the directory, at the path its package and first top-level type
   * give, and returns it as a file-based {@link JavaFileObject}.
   */
  public JavaFileObject source(String text) {
    Matcher pkg = PACKAGE.matcher(text);
    Matcher type = TYPE.matcher(text);
    if (!type.find()) {
      throw new IllegalArgumentException("no top-level type in\n" + text);
    }
    String path = (pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "") + type.group(1) + ".java";
    return write(path, text);
  }

  /** Copies an existing source file (such as one of the contract's) into the directory. */
  public JavaFileObject copy(Path file, String relativePath) {
    try {
      return write(relativePath, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JavaFileObject write(String relativePath, String text) {
    Path file = dir.resolve(relativePath);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return JavaFileObjects.forResource(file.toUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compiles the sources, with the TensorFlow stubs, running only the processor. */
  public Compilation compile(JavaFileObject... sources) {
    List<JavaFileObject> all = new ArrayList<>(List.of(sources));
    all.add(stub("org.tensorflow.Operand", "public interface Operand<T> {}"));
    all.add(stub("org.tensorflow.types.TFloat32", "public final class TFloat32 {}"));
    if (tool == Tool.JAVAC) {
      // javac resolves the imports and signatures of generated sources even under -proc:only.
      for (String type : RUNTIME_TYPES) {
        String parameters = PARAMETERIZED_RUNTIME_TYPES.contains(type) ? "<T>" : "";
        all.add(stub(type, "public interface " + type.substring(type.lastIndexOf('.') + 1)
            + parameters + " {}"));
      }
    }
    List<String> options = new ArrayList<>();
    options.add("-proc:only");
    if (tool == Tool.ECJ) {
      options.addAll(List.of("-source", "17", "-target", "17", "-encoding", "UTF-8"));
    } else {
      options.addAll(List.of("--release", "17", "-encoding", "UTF-8"));
    }
    options.addAll(extraOptions);
    return tool.compiler()
        .withProcessors(processor == null ? new NetworkProcessor() : processor)
        .withOptions(options)
        .withClasspath(classpath())
        .compile(all);
  }

  private List<File> classpath() {
    List<File> classpath = new ArrayList<>(extraClasspath);
    classpath.add(annotationsJar());
    return classpath;
  }

  /**
   * Compiles to class files without any processor, as a library compiled earlier would be: the
   * sources and the TensorFlow stubs.
   */
  public Compilation compileClasses(JavaFileObject... sources) {
    List<JavaFileObject> all = new ArrayList<>(List.of(sources));
    all.add(stub("org.tensorflow.Operand", "public interface Operand<T> {}"));
    all.add(stub("org.tensorflow.types.TFloat32", "public final class TFloat32 {}"));
    List<String> options = new ArrayList<>(List.of("-proc:none", "-encoding", "UTF-8"));
    options.addAll(tool == Tool.ECJ ? List.of("-source", "17", "-target", "17") : List.of("--release", "17"));
    return tool.compiler().withOptions(options).withClasspath(classpath()).compile(all);
  }

  /** Compiles one spec given as text. */
  public Compilation compile(String spec) {
    return compile(source(spec));
  }

  private JavaFileObject stub(String qualifiedName, String declaration) {
    int dot = qualifiedName.lastIndexOf('.');
    String path = qualifiedName.replace('.', '/') + ".java";
    Path file = dir.resolve(path);
    return Files.exists(file)
        ? fileObject(file)
        : write(path, "package " + qualifiedName.substring(0, dot) + ";\n\n" + declaration + "\n");
  }

  /**
   * The runtime and TensorFlow types that generated code names, read from the processor's own
   * list of them, so that javac finds the imports of a generated class.
   */
  private static final List<String> RUNTIME_TYPES = runtimeTypes();

  /** The runtime types that generated code gives a type argument: their stubs take one. */
  private static final Set<String> PARAMETERIZED_RUNTIME_TYPES =
      Set.of("dev.netspec.runtime.NetworkDescriptor");

  private static List<String> runtimeTypes() {
    try {
      Class<?> holder = Class.forName("dev.netspec.processor.write.RuntimeTypes");
      List<String> names = new ArrayList<>();
      for (Field field : holder.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == ClassName.class) {
          field.setAccessible(true);
          String name = ((ClassName) field.get(null)).canonicalName();
          if (!name.equals("org.tensorflow.Operand") && !name.equals("org.tensorflow.types.TFloat32")) {
            names.add(name);
          }
        }
      }
      return List.copyOf(names);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JavaFileObject fileObject(Path file) {
    try {
      return JavaFileObjects.forResource(file.toUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The jar or class folder of dsl-annotations: the only class path a spec needs. */
  static File annotationsJar() {
    try {
      return new File(Network.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The generated source of {@code qualifiedName}, which must exist. */
  public static String generated(Compilation compilation, String qualifiedName) {
    assertWithMessage("diagnostics: %s", describe(compilation))
        .that(compilation.generatedSourceFile(qualifiedName).isPresent()).isTrue();
    try {
      return compilation.generatedSourceFile(qualifiedName).get()
          .getCharContent(false).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code long} constant of a generated class, read from its source. */
  public static long longConstant(String source, String name) {
    Matcher m = Pattern.compile("static final (?:long|int) " + Pattern.quote(name) + " = (-?\\d+)L?;")
        .matcher(source);
    if (!m.find()) {
      throw new AssertionError("no constant " + name + " in\n" + source);
    }
    return Long.parseLong(m.group(1));
  }

  /** The error messages, for asserting that none is the internal error. */
  public static List<String> errors(Compilation compilation) {
    return compilation.errors().stream()
        .map(d -> d.getMessage(Locale.ROOT))
        .toList();
  }

  /** Asserts that the processor never fell into its last-resort catch. */
  public static void assertNoInternalError(Compilation compilation) {
    assertWithMessage("internal errors of the processor; diagnostics:%s", describe(compilation))
        .that(errors(compilation).stream().filter(m -> m.contains(INTERNAL_ERROR)).toList())
        .isEmpty();
  }

  /** Every diagnostic with its line, for failure messages. */
  public static String describe(Compilation compilation) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      out.append('\n').append(d.getKind()).append(' ')
          .append(d.getSource() == null ? "-" : d.getSource().getName()).append(':')
          .append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT));
    }
    return out.toString();
  }
}
