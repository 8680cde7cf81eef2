package dev.netspec.examples.zoo;

import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The zoo's networks by the names the command line knows them by (torchvision's and timm's). */
public final class Zoo {
  private static final Map<String, NetworkDescriptor<?>> NETWORKS = networks();

  private Zoo() {}

  private static Map<String, NetworkDescriptor<?>> networks() {
    Map<String, NetworkDescriptor<?>> networks = new LinkedHashMap<>();
    networks.put("resnet8", ResNet8.DESCRIPTOR);
    networks.put("resnet18", ResNet18.DESCRIPTOR);
    networks.put("resnet34", ResNet34.DESCRIPTOR);
    networks.put("resnet50", ResNet50.DESCRIPTOR);
    networks.put("resnet101", ResNet101.DESCRIPTOR);
    networks.put("resnet152", ResNet152.DESCRIPTOR);
    networks.put("densenet121", DenseNet121.DESCRIPTOR);
    networks.put("densenet161", DenseNet161.DESCRIPTOR);
    networks.put("densenet169", DenseNet169.DESCRIPTOR);
    networks.put("densenet201", DenseNet201.DESCRIPTOR);
    networks.put("densenet_bc_100", DenseNetBC100.DESCRIPTOR);
    networks.put("densenet121_face", DenseNet121Face.DESCRIPTOR);
    networks.put("densenet121_face_prelu", DenseNet121FacePReLU.DESCRIPTOR);
    networks.put("densenet_b_encoder", DenseNetBEncoder.DESCRIPTOR);
    networks.put("resnet50_encoder", ResNet50Encoder.DESCRIPTOR);
    networks.put("dpn92", DPN92.DESCRIPTOR);
    networks.put("dpn98", DPN98.DESCRIPTOR);
    networks.put("dpn107", DPN107.DESCRIPTOR);
    networks.put("dpn131", DPN131.DESCRIPTOR);
    networks.put("se_dpn92", SEDPN92.DESCRIPTOR);
    networks.put("seresnet50", SEResNet50.DESCRIPTOR);
    networks.put("senet18", SENet18.DESCRIPTOR);
    networks.put("sknet50", SKNet50.DESCRIPTOR);
    networks.put("resnest50", ResNeSt50.DESCRIPTOR);
    return Collections.unmodifiableMap(networks);
  }

  public static Set<String> names() {
    return NETWORKS.keySet();
  }

  public static Map<String, NetworkDescriptor<?>> all() {
    return NETWORKS;
  }

  /**
   * The descriptor of a zoo name, or of the generated network class on the class path with that
   * fully qualified name.
   */
  public static NetworkDescriptor<?> resolve(String network) {
    NetworkDescriptor<?> known = NETWORKS.get(network);
    if (known != null) {
      return known;
    }
    try {
      Class<?> type = Class.forName(network);
      if (!NetworkGraph.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(network + " is not a generated network class");
      }
      return NetworkDescriptor.of(type.asSubclass(NetworkGraph.class));
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("unknown network '" + network + "': use a zoo name ("
          + String.join(", ", NETWORKS.keySet()) + ") or a generated class's full name");
    }
  }
}
