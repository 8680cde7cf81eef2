package dev.netspec.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * What a generated network class states about itself in its constants: input and output shape,
 * parameters, MACs and the stages. Read once by reflection, checked to be a generated class.
 */
public record NetworkDescription(
    Class<? extends NetworkGraph> type, int inputChannels, int inputHeight, int inputWidth,
    int minInputSize, int outputChannels, int outputStride, long parameters, long macs,
    List<StageInfo> stages, List<FeatureInfo> features) {

  public static NetworkDescription of(Class<? extends NetworkGraph> type) {
    try {
      int channels = (Integer) constant(type, "INPUT_CHANNELS");
      int height = (Integer) constant(type, "INPUT_HEIGHT");
      int width = (Integer) constant(type, "INPUT_WIDTH");
      @SuppressWarnings("unchecked")
      List<StageInfo> stages = (List<StageInfo>) constant(type, "STAGES");
      @SuppressWarnings("unchecked")
      List<FeatureInfo> features = (List<FeatureInfo>) constant(type, "FEATURES");
      return new NetworkDescription(type, channels, height, width,
          (Integer) constant(type, "MIN_INPUT_SIZE"), (Integer) constant(type, "OUTPUT_CHANNELS"),
          (Integer) constant(type, "OUTPUT_STRIDE"), (Long) constant(type, "PARAMETERS"),
          (Long) constant(type, "MACS"), List.copyOf(stages), List.copyOf(features));
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(type.getName() + " has no public static constant "
          + e.getMessage() + "; is it a generated network class? (generated from a @Network spec)", e);
    }
  }

  private static Object constant(Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getField(name);
    if (!Modifier.isStatic(field.getModifiers())) {
      throw new NoSuchFieldException(name + " is not static");
    }
    return field.get(null);
  }

  public String name() {
    return type.getSimpleName();
  }

  /** Whether the image size is fixed at compile time. */
  public boolean fixedSize() {
    return inputHeight > 0 && inputWidth > 0;
  }

  /** "224x224x3" or "?x?x3". */
  public String inputShape() {
    return (inputHeight < 0 ? "?" : inputHeight) + "x" + (inputWidth < 0 ? "?" : inputWidth) + "x"
        + inputChannels;
  }
}
