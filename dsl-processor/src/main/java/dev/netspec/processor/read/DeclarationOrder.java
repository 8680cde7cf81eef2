package dev.netspec.processor.read;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The order in which a spec declares its stages. For a spec in this compilation it is the order
 * the compiler gives. For a spec read from a class file (a jar compiled earlier) it is the order
 * of the methods in the class file, which both javac and ECJ write in declaration order, but
 * which ECJ's model of a binary type sorts by name: so it is read from the class file itself.
 */
public final class DeclarationOrder {
  private final Elements elements;
  private final Filer filer;
  private final Set<String> sourceTypes;

  /**
   * @param sourceTypes qualified names of the types compiled from source in this compilation
   */
  public DeclarationOrder(Elements elements, Filer filer, Set<String> sourceTypes) {
    this.elements = elements;
    this.filer = filer;
    this.sourceTypes = sourceTypes;
  }

  /** Whether {@code type} is compiled from source here, so that its own errors are reported. */
  public boolean isSource(TypeElement type) {
    return sourceTypes.contains(type.getQualifiedName().toString());
  }

  public List<ExecutableElement> sort(TypeElement type, List<ExecutableElement> methods) {
    if (sourceTypes.contains(type.getQualifiedName().toString())) {
      return methods;
    }
    Optional<List<String>> order = classFileMethods(type);
    if (order.isEmpty()) {
      return methods;
    }
    List<String> names = order.get();
    List<ExecutableElement> sorted = new ArrayList<>(methods);
    sorted.sort(Comparator.comparingInt(m -> {
      int index = names.indexOf(m.getSimpleName().toString());
      return index < 0 ? Integer.MAX_VALUE : index;
    }));
    return sorted;
  }

  private Optional<List<String>> classFileMethods(TypeElement type) {
    String binary = elements.getBinaryName(type).toString();
    String pkg = elements.getPackageOf(type).getQualifiedName().toString();
    String relative = (pkg.isEmpty() ? binary : binary.substring(pkg.length() + 1)) + ".class";
    try {
      FileObject file = filer.getResource(StandardLocation.CLASS_PATH, pkg, relative);
      try (InputStream in = file.openInputStream()) {
        return Optional.of(methodNames(new DataInputStream(in)));
      }
    } catch (IOException | RuntimeException e) {
      // No class file to read (or an unreadable one): keep the compiler's order.
      return Optional.empty();
    }
  }

  /** The names of a class file's methods, in the file's order (JVMS §4.1). */
  static List<String> methodNames(DataInputStream in) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8);
          i++;
        }
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    in.skipNBytes(6);
    in.skipNBytes(2L * in.readUnsignedShort());
    skipMembers(in);
    int methods = in.readUnsignedShort();
    List<String> names = new ArrayList<>(methods);
    for (int m = 0; m < methods; m++) {
      in.skipNBytes(2);
      names.add(utf8[in.readUnsignedShort()]);
      in.skipNBytes(2);
      skipAttributes(in);
    }
    return names;
  }

  private static void skipMembers(DataInputStream in) throws IOException {
    int members = in.readUnsignedShort();
    for (int i = 0; i < members; i++) {
      in.skipNBytes(6);
      skipAttributes(in);
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipNBytes(2);
      in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
    }
  }
}
