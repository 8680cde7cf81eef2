package dev.netspec.runtime.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How PyTorch's state-dict keys become netspec's variable names: an ordered list of regular
 * expression rules; the first rule whose pattern matches a whole key rewrites it (Java's {@code $1}
 * replacement syntax) or drops it, and a key no rule matches keeps its name. A zoo family ships
 * a short list, e.g. torchvision's ResNet stem: {@code conv1.weight → conv1.conv.weight} and
 * {@code bn1.(.*) → conv1.bn.$1}.
 *
 * <p>Immutable.
 */
public final class NameRules {
  private record Rule(Pattern pattern, String replacement) {
    boolean drops() {
      return replacement == null;
    }
  }

  private static final NameRules IDENTITY = new NameRules(List.of());

  private final List<Rule> rules;

  private NameRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No rules: every key is its own variable name. */
  public static NameRules identity() {
    return IDENTITY;
  }

  /** These rules plus one more, tried after them: keys matching {@code regex} are renamed. */
  public NameRules rename(String regex, String replacement) {
    List<Rule> more = new ArrayList<>(rules);
    more.add(new Rule(Pattern.compile(regex), replacement));
    return new NameRules(more);
  }

  /** These rules plus one that drops keys matching {@code regex} (buffers netspec has no use for). */
  public NameRules drop(String regex) {
    List<Rule> more = new ArrayList<>(rules);
    more.add(new Rule(Pattern.compile(regex), null));
    return new NameRules(more);
  }

  /** These rules followed by {@code next}'s. */
  public NameRules then(NameRules next) {
    List<Rule> more = new ArrayList<>(rules);
    more.addAll(next.rules);
    return new NameRules(more);
  }

  /** The variable name for PyTorch key {@code key}; empty when a rule drops it. */
  public Optional<String> map(String key) {
    for (Rule rule : rules) {
      Matcher m = rule.pattern().matcher(key);
      if (m.matches()) {
        return rule.drops() ? Optional.empty() : Optional.of(m.replaceFirst(rule.replacement()));
      }
    }
    return Optional.of(key);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Rule rule : rules) {
      text.append(rule.pattern().pattern()).append(" -> ")
          .append(rule.drops() ? "(dropped)" : rule.replacement()).append('\n');
    }
    return text.toString();
  }
}
