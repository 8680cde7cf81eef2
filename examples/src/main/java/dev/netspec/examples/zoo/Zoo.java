package dev.netspec.examples.zoo;

import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
    networks.put("densenet121_sk", DenseNet121SK.DESCRIPTOR);
    networks.put("densenet121_face", DenseNet121Face.DESCRIPTOR);
    networks.put("densenet121_face_prelu", DenseNet121FacePReLU.DESCRIPTOR);
    networks.put("densenet_b_encoder", DenseNetBEncoder.DESCRIPTOR);
    networks.put("resnet50_encoder", ResNet50Encoder.DESCRIPTOR);
    networks.put("dpn68", DPN68.DESCRIPTOR);
    networks.put("dpn92", DPN92.DESCRIPTOR);
    networks.put("dpn98", DPN98.DESCRIPTOR);
    networks.put("dpn107", DPN107.DESCRIPTOR);
    networks.put("dpn131", DPN131.DESCRIPTOR);
    networks.put("se_dpn92", SEDPN92.DESCRIPTOR);
    networks.put("seresnet50", SEResNet50.DESCRIPTOR);
    networks.put("senet18", SENet18.DESCRIPTOR);
    networks.put("sknet50", SKNet50.DESCRIPTOR);
    networks.put("resnest50", ResNeSt50.DESCRIPTOR);
    networks.put("mobilenet_v2", MobileNetV2.DESCRIPTOR);
    networks.put("mobilenet_v3_large", MobileNetV3Large.DESCRIPTOR);
    networks.put("efficientnet_b0", EfficientNetB0.DESCRIPTOR);
    networks.put("convnext_tiny", ConvNeXtTiny.DESCRIPTOR);
    networks.put("regnet_y_400mf", RegNetY400MF.DESCRIPTOR);
    return Collections.unmodifiableMap(networks);
  }

  public static Set<String> names() {
    return NETWORKS.keySet();
  }

  public static Map<String, NetworkDescriptor<?>> all() {
    return NETWORKS;
  }

  /**
   * The descriptor of a zoo name, or of the generated network class with that full name that the
   * thread's context class loader finds: netspec's own classes and, on the command line, those of
   * {@code --classpath} and {@code NETSPEC_CLASSPATH}.
   */
  public static NetworkDescriptor<?> resolve(String network) {
    NetworkDescriptor<?> known = NETWORKS.get(network);
    if (known != null) {
      return known;
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = Zoo.class.getClassLoader();
    }
    Class<?> type;
    try {
      type = Class.forName(network, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(unknown(network, loader), e);
    } catch (LinkageError e) {
      throw new IllegalArgumentException("found " + network + " but cannot load it (" + e
          + "): put the jars it needs on the class path too (--classpath, NETSPEC_CLASSPATH)", e);
    }
    if (!NetworkGraph.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(network + " is not a generated network class");
    }
    return NetworkDescriptor.of(type.asSubclass(NetworkGraph.class));
  }

  /** Why {@code network} names nothing, where a class of that name was looked for, the fix. */
  private static String unknown(String network, ClassLoader loader) {
    if (!network.contains(".")) {
      return "unknown network '" + network + "': use a zoo name (" + String.join(", ",
          NETWORKS.keySet()) + ") or a generated class's full name";
    }
    List<String> entries = new ArrayList<>();
    if (loader instanceof URLClassLoader urls) {
      for (URL url : urls.getURLs()) {
        entries.add(describe(url));
      }
    }
    String searched = entries.isEmpty() ? "in netspec's own classes, and no class path was given"
        : "in netspec's own classes or on the class path (" + String.join(", ", entries) + ")";
    return "unknown network '" + network + "': no class of that name " + searched + "; add the "
        + "jar or class folder that holds it with --classpath <path[:path...]> or the "
        + "NETSPEC_CLASSPATH variable";
  }

  private static String describe(URL url) {
    try {
      Path entry = Path.of(url.toURI());
      return Files.exists(entry) ? entry.toString() : entry + " (missing)";
    } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
      return url.toString();
    }
  }
}
