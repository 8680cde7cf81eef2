package dev.netspec.processor.read;

import dev.netspec.annotations.Act;

/** What a spec's {@code @Network} sets for all its stages. */
public record NetworkDefaults(Act activation, double epsilon) {

  /** {@link Act#DEFAULT} becomes the network's activation. */
  public Act resolve(Act act) {
    return act == Act.DEFAULT ? activation : act;
  }

  public static NetworkDefaults of(Attributes network) {
    return new NetworkDefaults(network.enumValue("activation", Act.class), network.real("epsilon"));
  }
}
