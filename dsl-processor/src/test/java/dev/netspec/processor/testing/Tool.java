package dev.netspec.processor.testing;

import com.google.testing.compile.Compiler;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/** The two compilers the processor must behave the same under. */
public enum Tool {
  JAVAC {
    @Override
    Compiler compiler() {
      return Compiler.javac();
    }
  },
  ECJ {
    @Override
    Compiler compiler() {
      return Compiler.compiler(new EclipseCompiler());
    }
  };

  abstract Compiler compiler();
}
