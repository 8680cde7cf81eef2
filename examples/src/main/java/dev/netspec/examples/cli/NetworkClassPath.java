package dev.netspec.examples.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the command line looks for generated network classes beyond its own: the entries of
 * {@code --classpath} and of the {@value #VARIABLE} variable, jars and class folders separated as
 * in Java's class path ({@code dir/*} stands for every jar in {@code dir}). While a command runs,
 * a class loader over them is the thread's context class loader, which
 * {@link dev.netspec.examples.zoo.Zoo#resolve} asks for full class names; netspec's own classes
 * come first, so a user's jar that bundles the runtime shares netspec's.
 */
final class NetworkClassPath implements AutoCloseable {
  static final String VARIABLE = "NETSPEC_CLASSPATH";
  static final String OPTION = "--classpath";

  private final URLClassLoader loader;

  private NetworkClassPath(List<Path> entries, ClassLoader parent) {
    URL[] urls = new URL[entries.size()];
    for (int i = 0; i < urls.length; i++) {
      urls[i] = url(entries.get(i));
    }
    loader = new URLClassLoader("netspec-classpath", urls, parent);
  }

  /**
   * The entries of {@code option}, then those of {@code variable}; either may be null.
   *
   * @throws IllegalArgumentException for an entry that is no path on this system
   */
  static NetworkClassPath of(String option, String variable) {
    List<Path> entries = new ArrayList<>();
    for (String value : new String[] {option, variable}) {
      if (value == null) {
        continue;
      }
      for (String entry : value.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          try {
            entries.addAll(expand(entry.strip()));
          } catch (InvalidPathException e) {
            throw new IllegalArgumentException("the class path entry '" + entry + "' is no path: "
                + e.getMessage(), e);
          }
        }
      }
    }
    return new NetworkClassPath(entries, NetworkClassPath.class.getClassLoader());
  }

  /** A {@code dir/*} entry as every jar in {@code dir}, as {@code java -cp} reads it. */
  private static List<Path> expand(String entry) {
    if (!entry.equals("*") && !entry.endsWith("/*") && !entry.endsWith(File.separator + "*")) {
      return List.of(Path.of(entry));
    }
    Path folder = Path.of(entry.substring(0, entry.length() - 1));
    if (!Files.isDirectory(folder)) {
      return List.of(Path.of(entry)); // named as given, so that a report shows the mistake
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(folder, "*.{jar,JAR}")) {
      found.forEach(jars::add);
    } catch (IOException e) {
      return List.of(Path.of(entry)); // unreadable: a report names it as given
    }
    jars.sort(null);
    return jars;
  }

  private static URL url(Path entry) {
    try {
      return entry.toAbsolutePath().normalize().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("cannot put " + entry + " on the class path: " + e, e);
    }
  }

  /** Runs {@code command} with this class path as the thread's context class loader. */
  <T> T run(Supplier<T> command) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return command.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Closes the jars; the classes already loaded stay usable. */
  @Override
  public void close() {
    try {
      loader.close();
    } catch (IOException e) {
      // a jar that cannot be closed holds a file handle until the JVM ends, nothing more
    }
  }
}
