package dev.netspec.runtime;

import java.lang.System.Logger.Level;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/**
 * Turns a {@link Device} into TensorFlow's terms: the device the graph's ops ask for, and the
 * session options (GPU memory that grows as needed instead of the whole card, soft placement for
 * the few ops without a GPU kernel, no GPU at all for {@code cpu}).
 */
final class DevicePlacement {
  private static final System.Logger LOG = System.getLogger("dev.netspec.runtime");
  private static volatile Integer visibleGpus;
  private static volatile boolean warned;

  private DevicePlacement() {}

  /** The device the graph is built on; what {@code auto} and an absent GPU resolve to. */
  static Device resolve(Device device) {
    if (device.kind() != Device.Kind.GPU || device.index() < visibleGpus()) {
      return device;
    }
    String why = "GPU " + device.index() + " is not visible to TensorFlow (" + visibleGpus()
        + " visible); GPUs need the linux-x86_64-gpu native library (mvn -Pgpu) and CUDA 12 with"
        + " cuDNN 9 on the system";
    if (device.strict()) {
      throw new IllegalStateException(why);
    }
    if (!warned) {
      warned = true;
      LOG.log(Level.WARNING, why + "; running on the CPU");
    }
    return Device.cpu();
  }

  /** Ops built with the returned {@code Ops} ask for {@code device}. */
  static Ops place(Ops tf, Device device) {
    return switch (device.kind()) {
      case AUTO -> tf;
      case CPU -> tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build());
      case GPU -> tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU)
          .deviceIndex(device.index()).build());
    };
  }

  /**
   * The session options for a model on {@code device} (the resolved one) with {@code options}:
   * the threads (0 = TensorFlow's default, every core), then the caller's own settings merged
   * over these.
   */
  static ConfigProto config(Device device, ModelOptions options) {
    ConfigProto.Builder config = ConfigProto.newBuilder()
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
    if (device.kind() == Device.Kind.CPU) {
      config.putDeviceCount("GPU", 0);
    }
    if (options.threads() > 0) {
      config.setIntraOpParallelismThreads(options.threads()).setInterOpParallelismThreads(1);
    }
    return config.mergeFrom(options.sessionConfig()).build();
  }

  /** How many GPUs TensorFlow can place ops on: probed once by placing a constant strictly. */
  static int visibleGpus() {
    Integer known = visibleGpus;
    if (known == null) {
      int count = 0;
      while (count < 64 && canPlaceOn(count)) {
        count++;
      }
      visibleGpus = known = count;
    }
    return known;
  }

  private static boolean canPlaceOn(int gpu) {
    try (Graph graph = new Graph();
        Session session = new Session(graph, ConfigProto.newBuilder().setAllowSoftPlacement(false)
            .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build())) {
      Ops tf = place(Ops.create(graph), Device.gpu(gpu));
      var constant = tf.constant(1f);
      try (var result = session.runner().fetch(tf.identity(constant)).run()) {
        return result.get(0) instanceof TFloat32;
      }
    } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
      return false;
    }
  }
}
