package dev.netspec.runtime;

import java.util.Objects;
import java.util.Optional;
import org.tensorflow.proto.ConfigProto;

/**
 * How a {@link Model} runs.
 *
 * @param device where the graph's ops run
 * @param threads the threads TensorFlow's CPU kernels use (0 = TensorFlow's choice, every core),
 *     at most {@link #maxThreads()}
 * @param batch the one batch size the model takes (0 = any): a static batch dimension lets
 *     TensorFlow fold every shape computation into constants
 * @param memoryEfficient in {@link Mode#TRAIN}, dense blocks compute each layer's concatenation
 *     and both BatchNorms and activations again in the backward pass instead of keeping them (as
 *     torchvision's {@code memory_efficient}; by default only the first activation is computed
 *     again), and strided padded convolutions pad again for their gradients instead of keeping
 *     the padded copy: less memory per training step, more time
 * @param sessionConfig merged last over the session options netspec derives from the above: any
 *     of TensorFlow's {@code ConfigProto} settings (Grappler, XLA JIT, inter-op threads, ...)
 * @param frozenThrough fine-tuning: every stage up to and including this one is built as for
 *     {@link Mode#INFERENCE} in every mode (BatchNorm normalizes with the running statistics and
 *     leaves them as they are, dropout is off), and its variables are left out of {@link
 *     NetworkGraph#trainableVariables()}, so no training step changes them. A stage name of the
 *     network's descriptor, before its last stage; empty: nothing frozen
 * @param cluster a worker's model in a TensorFlow cluster: variables on the parameter server,
 *     computations and the session on the worker's server; empty: all in this process
 */
public record ModelOptions(Device device, int threads, int batch, boolean memoryEfficient,
    ConfigProto sessionConfig, Optional<String> frozenThrough,
    Optional<ClusterPlacement> cluster) {
  public ModelOptions {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(sessionConfig, "sessionConfig");
    Objects.requireNonNull(frozenThrough, "frozenThrough");
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (all cores) or more, got " + threads);
    }
    if (threads > maxThreads()) {
      throw new IllegalArgumentException("a model runs on at most " + maxThreads() + " threads ("
          + THREADS_PER_PROCESSOR + " per processor; Java sees " + processors() + "), got "
          + threads);
    }
    if (batch < 0) {
      throw new IllegalArgumentException("batch must be 0 (any) or more, got " + batch);
    }
  }

  /** How many threads per processor a model may ask for. */
  public static final int THREADS_PER_PROCESSOR = 4;

  /**
   * The most threads a model may ask for: {@value #THREADS_PER_PROCESSOR} per processor Java
   * sees. TensorFlow starts every one of them at once, and beyond the cores they only contend;
   * tens of thousands stall the machine.
   */
  public static int maxThreads() {
    return THREADS_PER_PROCESSOR * processors();
  }

  private static int processors() {
    return Runtime.getRuntime().availableProcessors();
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Device.auto(), 0, 0, false, ConfigProto.getDefaultInstance(),
        Optional.empty(), Optional.empty());
  }

  public ModelOptions withDevice(Device newDevice) {
    return new ModelOptions(newDevice, threads, batch, memoryEfficient, sessionConfig,
        frozenThrough, cluster);
  }

  public ModelOptions withThreads(int newThreads) {
    return new ModelOptions(device, newThreads, batch, memoryEfficient, sessionConfig,
        frozenThrough, cluster);
  }

  public ModelOptions withBatch(int newBatch) {
    return new ModelOptions(device, threads, newBatch, memoryEfficient, sessionConfig,
        frozenThrough, cluster);
  }

  public ModelOptions withMemoryEfficient(boolean on) {
    return new ModelOptions(device, threads, batch, on, sessionConfig, frozenThrough, cluster);
  }

  public ModelOptions withSessionConfig(ConfigProto config) {
    return new ModelOptions(device, threads, batch, memoryEfficient, config, frozenThrough,
        cluster);
  }

  /**
   * These options with every stage up to and including {@code stage} frozen (see {@link
   * #frozenThrough()}); null: nothing frozen.
   */
  public ModelOptions withFrozenThrough(String stage) {
    return new ModelOptions(device, threads, batch, memoryEfficient, sessionConfig,
        Optional.ofNullable(stage), cluster);
  }

  /** These options for a worker of a cluster (see {@link #cluster()}); null: this process. */
  public ModelOptions withCluster(ClusterPlacement placement) {
    return new ModelOptions(device, threads, batch, memoryEfficient, sessionConfig, frozenThrough,
        Optional.ofNullable(placement));
  }
}
