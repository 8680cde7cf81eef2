package dev.netspec.runtime.train;


/**
 * The learning rate as a function of the step: {@link Constant}, {@link StepDecay} (PyTorch's
 * {@code StepLR}), {@link Cosine} (a cosine from the base rate down to a floor over the whole
 * run, per step) and {@link Warmup}, which ramps another schedule up linearly over its first
 * epochs. A pure function of the step, so that a resumed run follows it exactly.
 */
public sealed interface Schedule
    permits Schedule.Constant, Schedule.StepDecay, Schedule.Cosine, Schedule.Warmup {

  /**
   * The rate for {@code step} (0-based) of a run of {@code totalSteps} steps with {@code
   * stepsPerEpoch} steps per epoch.
   */
  double rate(long step, long stepsPerEpoch, long totalSteps);

  /** The rate at the first step after warm-up. */
  double base();

  /** A line for logs. */
  String describe();

  /** The same rate throughout. */
  record Constant(double base) implements Schedule {
    public Constant {
      checkRate(base);
    }

    @Override
    public double rate(long step, long stepsPerEpoch, long totalSteps) {
      return base;
    }

    @Override
    public String describe() {
      return "constant " + plain(base);
    }
  }

  /** {@code base · gamma^⌊epoch / everyEpochs⌋}. */
  record StepDecay(double base, int everyEpochs, double gamma) implements Schedule {
    public StepDecay {
      checkRate(base);
      if (everyEpochs < 1) {
        throw new IllegalArgumentException("step decay needs every >= 1 epoch, got " + everyEpochs);
      }
      if (!(gamma > 0 && gamma <= 1)) {
        throw new IllegalArgumentException("step decay gamma must be in (0, 1], got " + gamma);
      }
    }

    @Override
    public double rate(long step, long stepsPerEpoch, long totalSteps) {
      long epoch = step / Math.max(1, stepsPerEpoch);
      return base * Math.pow(gamma, epoch / everyEpochs);
    }

    @Override
    public String describe() {
      return plain(base) + ", times " + plain(gamma) + " every " + everyEpochs + " epochs";
    }
  }

  /** {@code floor + (base - floor) · (1 + cos(π · step / totalSteps)) / 2}. */
  record Cosine(double base, double floor) implements Schedule {
    public Cosine {
      checkRate(base);
      if (!(floor >= 0 && floor <= base)) {
        throw new IllegalArgumentException(
            "cosine floor must be between 0 and the base rate " + base + ", got " + floor);
      }
    }

    @Override
    public double rate(long step, long stepsPerEpoch, long totalSteps) {
      double progress = totalSteps <= 0 ? 0 : Math.min(1.0, (double) step / totalSteps);
      return floor + (base - floor) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    @Override
    public String describe() {
      return plain(base) + ", cosine to " + plain(floor);
    }
  }

  /**
   * {@code schedule}, scaled by {@code (step + 1) / warm-up steps} during the first {@code epochs}
   * epochs.
   */
  record Warmup(Schedule schedule, double epochs) implements Schedule {
    public Warmup {
      if (schedule instanceof Warmup) {
        throw new IllegalArgumentException("a schedule warms up once");
      }
      if (!(epochs > 0)) {
        throw new IllegalArgumentException("warm-up must last > 0 epochs, got " + epochs);
      }
    }

    @Override
    public double rate(long step, long stepsPerEpoch, long totalSteps) {
      double rate = schedule.rate(step, stepsPerEpoch, totalSteps);
      double warmupSteps = Math.max(1.0, epochs * stepsPerEpoch);
      return step < warmupSteps ? rate * (step + 1) / warmupSteps : rate;
    }

    @Override
    public double base() {
      return schedule.base();
    }

    @Override
    public String describe() {
      return schedule.describe() + " after " + plain(epochs) + " warm-up epoch"
          + (epochs == 1 ? "" : "s");
    }
  }

  /** 0.1, 0.0005, 2: a number as people write it. */
  static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static void checkRate(double base) {
    if (!(base > 0) || Double.isInfinite(base)) {
      throw new IllegalArgumentException("the learning rate must be > 0, got " + base);
    }
  }
}
