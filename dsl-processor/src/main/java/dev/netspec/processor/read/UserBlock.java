package dev.netspec.processor.read;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Shortcut;
import dev.netspec.processor.block.Binding;
import dev.netspec.processor.block.Expression;
import dev.netspec.processor.model.BlockTemplate;
import dev.netspec.processor.model.NamedStage;
import dev.netspec.processor.model.Problem;
import dev.netspec.processor.model.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checked {@code @BlockSpec} as a use in one network sees it: its stages are made by the
 * network's {@link StageFactory}, with the network's activation and epsilon, once the values of
 * the parameters are known.
 */
final class UserBlock implements BlockTemplate {
  private final BlockDecl decl;
  private final StageFactory factory;
  private final NetworkDefaults defaults;

  UserBlock(BlockDecl decl, StageFactory factory, NetworkDefaults defaults) {
    this.decl = decl;
    this.factory = factory;
    this.defaults = defaults;
  }

  @Override
  public String name() {
    return decl.name();
  }

  @Override
  public List<Binding> parameters() {
    return decl.parameters();
  }

  @Override
  public Shortcut shortcut() {
    return decl.shortcut();
  }

  @Override
  public Act act() {
    return defaults.resolve(decl.act());
  }

  @Override
  public List<NamedStage> instantiate(Map<String, Long> values, List<String> problems) {
    List<NamedStage> stages = new ArrayList<>();
    for (int i = 0; i < decl.stages().size(); i++) {
      StageDecl stage = decl.stages().get(i);
      Map<String, Integer> set = new LinkedHashMap<>();
      for (Map.Entry<String, Expression> let : decl.lets().get(i).entrySet()) {
        try {
          long value = let.getValue().evaluate(values);
          if (value < Integer.MIN_VALUE + 1 || value > Integer.MAX_VALUE) {
            problems.add(stage.name() + "(): @Let(" + let.getKey() + ") comes to " + value
                + ", beyond what netspec builds");
          } else {
            set.put(let.getKey(), (int) value);
          }
        } catch (ArithmeticException e) {
          problems.add(stage.name() + "(): @Let(" + let.getKey() + "): " + e.getMessage());
        }
      }
      if (set.size() < decl.lets().get(i).size()) {
        continue;
      }
      StageDecl bound = new StageDecl(stage.method(), stage.name(), stage.kind(),
          stage.attributes().with(set), stage.modifiers());
      List<Problem> made = new ArrayList<>();
      Map<String, Long> outer = new LinkedHashMap<>(values);
      outer.remove(Binding.INPUT);
      Optional<Stage> created = factory.create(bound, defaults, made, outer);
      made.forEach(p -> problems.add(stage.name() + "(): " + p.message()));
      created.ifPresent(s -> stages.add(new NamedStage(stage.name(), s)));
      if (created.isEmpty() && made.isEmpty()) {
        problems.add(stage.name() + "(): " + stage.kind().label() + " could not be made");
      }
    }
    return stages;
  }
}
