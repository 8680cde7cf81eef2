package dev.netspec.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Sets variables of one graph to fed values: a placeholder and an assign op per variable, made on
 * its first assignment, all in one name scope. The scope is made once: TensorFlow Java's {@code
 * withSubScope} reads every operation of the graph, so a scope per variable would cost time
 * quadratic in the size of the graph.
 */
public final class VariableAssigner {
  private record Assigner(Placeholder<TFloat32> value, Assign<TFloat32> op) {}

  private final Ops parent;
  private final String scopeName;
  private final Map<String, Assigner> assigners = new HashMap<>();
  private Ops scope;

  /** Assign ops will go in {@code parent}'s sub-scope {@code scopeName}. */
  public VariableAssigner(Ops parent, String scopeName) {
    this.parent = Objects.requireNonNull(parent, "parent");
    this.scopeName = Objects.requireNonNull(scopeName, "scopeName");
  }

  /**
   * Adds to {@code runner} the feed of {@code value} and the assign op of {@code variable}, known
   * by {@code name}. The caller checks the shape and keeps ownership of the tensor.
   */
  public Session.Runner feed(Session.Runner runner, String name, Variable<TFloat32> variable,
      TFloat32 value) {
    Assigner assigner = assigners.computeIfAbsent(name, n -> {
      if (scope == null) {
        scope = parent.withSubScope(scopeName);
      }
      Placeholder<TFloat32> placeholder =
          scope.placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
      return new Assigner(placeholder, scope.assign(variable, placeholder));
    });
    return runner.feed(assigner.value(), value).addTarget(assigner.op());
  }
}
