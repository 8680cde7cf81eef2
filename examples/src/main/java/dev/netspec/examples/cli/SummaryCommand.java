package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.StageInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netspec summary}: the stages with output shape, parameters and MACs, as computed by javac. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Print a network's stages with output shape, parameters and MACs.")
final class SummaryCommand implements Callable<Integer> {
  @Parameters(paramLabel = "<network>", description = "a zoo name (${COMPLETION-CANDIDATES}) or a generated class",
      completionCandidates = ZooNames.class)
  String network;

  @Option(names = "--run", description = "also build the network and run one random batch through it")
  boolean run;

  @Option(names = "--batch", defaultValue = "1", description = "images in the batch of --run (default: ${DEFAULT-VALUE})")
  int batch;

  @Mixin RuntimeOptions runtime;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    NetworkDescriptor<?> network = Zoo.resolve(this.network);
    out.printf("%s (%s), input %s%n%n", network.name(), network.type().getName(),
        network.input().describe());
    out.print(table(network));
    out.printf(Locale.ROOT, "%nparameters: %,d (%.1f MB as float32)%n", network.parameters(),
        network.parameters() * 4 / 1e6);
    out.println(network.macs() < 0 ? "MACs: depend on the image size"
        : String.format(Locale.ROOT, "MACs: %.3f G per image", network.macs() / 1e9));
    if (run) {
      forward(network, out);
    }
    out.flush();
    return 0;
  }

  /** Builds the network, checks the live graph against the constants and runs a random batch. */
  private void forward(NetworkDescriptor<?> network, PrintWriter out) {
    if (batch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1");
    }
    int height = runtime.height(network.input());
    int width = runtime.width(network.input());
    int channels = network.input().channels();
    long start = System.nanoTime();
    try (Model<?> model = Model.create(network, Mode.INFERENCE, 1L, runtime.modelOptions());
        TFloat32 images = TFloat32.tensorOf(Shape.of(batch, height, width, channels))) {
      double built = (System.nanoTime() - start) / 1e9;
      SplittableRandom random = new SplittableRandom(7);
      images.scalars().forEach(s -> s.setFloat((float) (random.nextDouble() * 2 - 1)));
      long t0 = System.nanoTime();
      try (TFloat32 output = model.predict(images)) {
        double ran = (System.nanoTime() - t0) / 1e3 / 1e3;
        out.printf(Locale.ROOT, "%nbuilt and initialized in %.2f s; live parameters %,d (%s)%n", built,
            model.parameterCount(), model.parameterCount() == network.parameters()
                ? "equal to PARAMETERS" : "DIFFERENT FROM PARAMETERS " + network.parameters());
        out.printf(Locale.ROOT, "forward pass of %s: output %s in %.1f ms%n",
            Shape.of(batch, height, width, channels), output.shape(), ran);
      }
    }
  }

  static String table(NetworkDescriptor<?> network) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"stage", "kind", "output", "stride", "parameters", "MACs"});
    rows.add(new String[] {"(input)", "", network.input().describe(), "1", "", ""});
    for (StageInfo stage : network.stages()) {
      rows.add(new String[] {stage.name(), stage.description(), stage.shape(),
          stage.flat() ? "-" : Integer.toString(stage.stride()), count(stage.parameters()),
          stage.macs() < 0 ? "?" : count(stage.macs())});
    }
    rows.add(new String[] {"total", "", "", "", count(network.parameters()),
        network.macs() < 0 ? "?" : count(network.macs())});
    return Tables.render(rows, 3);
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** The zoo's names, for help and shell completion. */
  static final class ZooNames extends ArrayList<String> {
    ZooNames() {
      super(Zoo.names());
    }
  }
}
