package dev.netspec.processor.block;

import javax.lang.model.SourceVersion;

/**
 * {@code "name = expression"}, as a use binds a block's parameter ({@code "out = 24"}) or a block
 * declares one with its default; {@code "name"} alone declares a parameter without one.
 *
 * @param value null for a parameter declared without a default
 */
public record Binding(String name, Expression value) {

  /** The name of the block's input channels in expressions. */
  public static final String INPUT = "in";

  /** Parses {@code text}; {@code valueRequired} for a use's binding, which must give a value. */
  public static Binding parse(String text, boolean valueRequired) {
    int equals = text.indexOf('=');
    String name = (equals < 0 ? text : text.substring(0, equals)).strip();
    if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
      throw new ExpressionException("\"" + text + "\" must start with a parameter's name, such as"
          + " \"out = 32\"", 0);
    }
    if (name.equals(INPUT) || name.equals("divisible")) {
      throw new ExpressionException("'" + name + "' is a word of the expressions; name the"
          + " parameter otherwise", 0);
    }
    if (equals < 0) {
      if (valueRequired) {
        throw new ExpressionException("\"" + text + "\" gives no value; write \"" + name
            + " = <value>\"", text.length());
      }
      return new Binding(name, null);
    }
    String expression = text.substring(equals + 1);
    try {
      return new Binding(name, Expression.parse(expression));
    } catch (ExpressionException e) {
      throw new ExpressionException("in \"" + text + "\": " + e.getMessage(),
          equals + 1 + e.position());
    }
  }
}
