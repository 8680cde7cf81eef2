package dev.netspec.processor.block;

/**
 * Recursive descent over {@code expr := term (('+' | '-') term)*}, {@code term := factor (('*' |
 * '/') factor)*}, {@code factor := integer | name | 'divisible' '(' expr ',' expr ')' | '(' expr
 * ')' | '-' factor}.
 */
final class ExpressionParser {
  private final String text;
  private int at;

  ExpressionParser(String text) {
    this.text = text;
  }

  Expression parse() {
    skipSpaces();
    if (at == text.length()) {
      throw new ExpressionException("the expression is empty", 0);
    }
    Expression e = sum();
    if (at < text.length()) {
      throw new ExpressionException("unexpected '" + text.charAt(at) + "' at column " + (at + 1)
          + " of \"" + text + "\"", at);
    }
    return e;
  }

  private Expression sum() {
    Expression e = product();
    while (peek('+') || peek('-')) {
      char op = text.charAt(at++);
      skipSpaces();
      e = new Expression.Binary(op, e, product());
    }
    return e;
  }

  private Expression product() {
    Expression e = factor();
    while (peek('*') || peek('/')) {
      char op = text.charAt(at++);
      skipSpaces();
      e = new Expression.Binary(op, e, factor());
    }
    return e;
  }

  private Expression factor() {
    if (at == text.length()) {
      throw new ExpressionException("\"" + text + "\" ends where a value is expected", at);
    }
    char c = text.charAt(at);
    if (c == '-') {
      at++;
      skipSpaces();
      return new Expression.Negation(factor());
    }
    if (c == '(') {
      at++;
      skipSpaces();
      Expression e = sum();
      expect(')');
      return e;
    }
    if (Character.isDigit(c)) {
      int start = at;
      while (at < text.length() && Character.isDigit(text.charAt(at))) {
        at++;
      }
      String digits = text.substring(start, at);
      skipSpaces();
      try {
        return new Expression.Literal(Long.parseLong(digits));
      } catch (NumberFormatException e) {
        throw new ExpressionException(digits + " is too large", start);
      }
    }
    if (Character.isJavaIdentifierStart(c)) {
      int start = at;
      while (at < text.length() && Character.isJavaIdentifierPart(text.charAt(at))) {
        at++;
      }
      String name = text.substring(start, at);
      skipSpaces();
      if (name.equals("divisible")) {
        expect('(');
        Expression value = sum();
        expect(',');
        Expression divisor = sum();
        expect(')');
        return new Expression.Divisible(value, divisor);
      }
      return new Expression.Name(name);
    }
    throw new ExpressionException("unexpected '" + c + "' at column " + (at + 1) + " of \""
        + text + "\"; an expression has integers, names, + - * /, parentheses and divisible(v, d)",
        at);
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw new ExpressionException("expected '" + c + "' at column " + (at + 1) + " of \""
          + text + "\"", at);
    }
    at++;
    skipSpaces();
  }

  private boolean peek(char c) {
    return at < text.length() && text.charAt(at) == c;
  }

  private void skipSpaces() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }
}
