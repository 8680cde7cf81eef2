package dev.netspec.runtime.train;


/**
 * How parameters follow their gradients, with PyTorch's update rules so that hyperparameters carry
 * over: {@link Sgd} ({@code torch.optim.SGD}: momentum buffer {@code b = μ·b + g}, Nesterov's
 * variant, weight decay added to the gradient) and {@link Adam} ({@code torch.optim.Adam}, or
 * {@code AdamW} with decoupled weight decay).
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Adam {

  /** SGD with {@code momentum} (0 = plain SGD), optionally Nesterov's. */
  record Sgd(double momentum, boolean nesterov) implements Optimizer {
    public Sgd {
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
      }
      if (nesterov && momentum == 0) {
        throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
      }
    }

    @Override
    public String describe() {
      return momentum == 0 ? "SGD"
          : "SGD (momentum " + Schedule.plain(momentum) + (nesterov ? ", Nesterov)" : ")");
    }
  }

  /**
   * Adam; with {@code decoupledWeightDecay} it is AdamW, which shrinks the weights by {@code lr ·
   * weight decay} instead of adding the decay to the gradient.
   */
  record Adam(double beta1, double beta2, double epsilon, boolean decoupledWeightDecay)
      implements Optimizer {
    public Adam {
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException(
            "Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
      }
      if (!(epsilon > 0)) {
        throw new IllegalArgumentException("Adam epsilon must be > 0, got " + epsilon);
      }
    }

    @Override
    public String describe() {
      return (decoupledWeightDecay ? "AdamW" : "Adam") + " (betas " + Schedule.plain(beta1) + ", "
          + Schedule.plain(beta2) + ", eps " + epsilon + ")";
    }
  }

  /** PyTorch's SGD with momentum 0.9, Nesterov's if asked. */
  static Optimizer sgd(double momentum, boolean nesterov) {
    return new Sgd(momentum, nesterov);
  }

  /** PyTorch's Adam defaults: betas 0.9 and 0.999, epsilon 1e-8. */
  static Optimizer adam() {
    return new Adam(0.9, 0.999, 1e-8, false);
  }

  /** PyTorch's AdamW defaults: betas 0.9 and 0.999, epsilon 1e-8. */
  static Optimizer adamW() {
    return new Adam(0.9, 0.999, 1e-8, true);
  }

  /** A line for logs: "SGD (momentum 0.9, Nesterov)". */
  String describe();
}
