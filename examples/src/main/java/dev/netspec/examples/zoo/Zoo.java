package dev.netspec.examples.zoo;

import dev.netspec.runtime.NetworkGraph;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The zoo's networks by the names the command line knows them by (torchvision's and timm's). */
public final class Zoo {
  private static final Map<String, Class<? extends NetworkGraph>> NETWORKS = networks();

  private Zoo() {}

  private static Map<String, Class<? extends NetworkGraph>> networks() {
    Map<String, Class<? extends NetworkGraph>> networks = new LinkedHashMap<>();
    networks.put("resnet8", ResNet8.class);
    networks.put("resnet18", ResNet18.class);
    networks.put("resnet34", ResNet34.class);
    networks.put("resnet50", ResNet50.class);
    networks.put("resnet101", ResNet101.class);
    networks.put("resnet152", ResNet152.class);
    networks.put("densenet121", DenseNet121.class);
    networks.put("densenet161", DenseNet161.class);
    networks.put("densenet169", DenseNet169.class);
    networks.put("densenet201", DenseNet201.class);
    networks.put("densenet_bc_100", DenseNetBC100.class);
    networks.put("densenet121_face", DenseNet121Face.class);
    networks.put("densenet121_face_prelu", DenseNet121FacePReLU.class);
    networks.put("densenet_b_encoder", DenseNetBEncoder.class);
    networks.put("resnet50_encoder", ResNet50Encoder.class);
    networks.put("dpn92", DPN92.class);
    networks.put("dpn98", DPN98.class);
    networks.put("dpn107", DPN107.class);
    networks.put("dpn131", DPN131.class);
    networks.put("se_dpn92", SEDPN92.class);
    networks.put("seresnet50", SEResNet50.class);
    networks.put("senet18", SENet18.class);
    networks.put("sknet50", SKNet50.class);
    networks.put("resnest50", ResNeSt50.class);
    return Collections.unmodifiableMap(networks);
  }

  public static Set<String> names() {
    return NETWORKS.keySet();
  }

  public static Map<String, Class<? extends NetworkGraph>> all() {
    return NETWORKS;
  }

  /** A zoo name, or the fully qualified name of any generated network class on the class path. */
  public static Class<? extends NetworkGraph> resolve(String network) {
    Class<? extends NetworkGraph> known = NETWORKS.get(network);
    if (known != null) {
      return known;
    }
    try {
      Class<?> type = Class.forName(network);
      if (!NetworkGraph.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(network + " is not a generated network class");
      }
      return type.asSubclass(NetworkGraph.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("unknown network '" + network + "': use a zoo name ("
          + String.join(", ", NETWORKS.keySet()) + ") or a generated class's full name");
    }
  }
}
