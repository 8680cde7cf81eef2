package dev.netspec.runtime.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.onednn.OneDnnChoice.Setting;
import dev.netspec.runtime.onednn.OneDnnChoice.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The precedence: the user's {@code TF_ENABLE_ONEDNN_OPTS}, then the override, then the cached
 * measurement, then a new one; with a measurer that returns fixed timings and counts its calls.
 */
class OneDnnPolicyTest {
  private static final OneDnnMeasurement OFF_FASTER = new OneDnnMeasurement(90, 45);
  private static final OneDnnMeasurement ON_FASTER = new OneDnnMeasurement(5.5, 24.5);

  @TempDir Path folder;
  private OneDnnVerdictCache cache;
  private final Map<String, String> environment = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private int measured;

  @BeforeEach
  void anEmptyCache() {
    cache = new OneDnnVerdictCache(folder, "a cpu\ntensorflow-java 1.1.0");
  }

  private OneDnnChoice decide(String property, OneDnnPolicy.Measurer measurer) {
    return new OneDnnPolicy(environment, property, cache, () -> {
      measured++;
      return measurer.measure();
    }, warnings::add).decide(true);
  }

  private OneDnnChoice decide(String property) {
    return decide(property, () -> OFF_FASTER);
  }

  @Test
  void withNothingSetItMeasuresOnceAndThenReadsTheCache() throws IOException {
    OneDnnChoice first = decide(null);
    assertEquals(new OneDnnChoice(Setting.OFF, Source.MEASURED, Optional.of(OFF_FASTER), ""),
        first);
    assertEquals("off (measured now: on 90.00 ms, off 45.00 ms)", first.describe());
    OneDnnChoice second = decide(null);
    assertEquals(new OneDnnChoice(Setting.OFF, Source.CACHED, Optional.of(OFF_FASTER),
        cache.file().toString()), second);
    assertEquals(1, measured);
    assertEquals(Optional.of("0"), second.environmentValue());
  }

  @Test
  void oneDnnStaysOnUnlessOffIsClearlyFaster() {
    assertEquals(Setting.ON, decide(null, () -> ON_FASTER).setting());
    assertTrue(new OneDnnMeasurement(10, 9.5).favoursOn(), "within the noise");
    assertTrue(!new OneDnnMeasurement(10, 8.5).favoursOn(), "15% faster off");
  }

  @Test
  void theCachedMeasurementComesBeforeMeasuring() throws IOException {
    cache.write(ON_FASTER);
    assertEquals(Source.CACHED, decide(null).source());
    assertEquals(Setting.ON, decide(null).setting());
    assertEquals(0, measured);
  }

  @Test
  void theOverrideComesBeforeTheCacheAndThePropertyBeforeTheVariable() throws IOException {
    cache.write(ON_FASTER);
    environment.put("NETSPEC_ONEDNN", "OFF");
    OneDnnChoice variable = decide(null);
    assertEquals(new OneDnnChoice(Setting.OFF, Source.OVERRIDE, Optional.of(ON_FASTER),
        "NETSPEC_ONEDNN=OFF"), variable);
    assertEquals("off (set by the user: NETSPEC_ONEDNN=OFF; measured: on 5.50 ms, off 24.50 ms)",
        variable.describe());
    OneDnnChoice property = decide("on");
    assertEquals(Setting.ON, property.setting());
    assertEquals("-Dnetspec.onednn=on", property.detail());
    assertEquals(Source.CACHED, decide("auto").source(), "auto leaves it to the measurement");
    assertEquals(0, measured);
  }

  @Test
  void theUsersTensorFlowVariableComesFirst() {
    environment.put("NETSPEC_ONEDNN", "off");
    environment.put("TF_ENABLE_ONEDNN_OPTS", "1");
    OneDnnChoice choice = decide("off");
    assertEquals(new OneDnnChoice(Setting.ON, Source.USER, Optional.empty(),
        "TF_ENABLE_ONEDNN_OPTS=1"), choice);
    assertEquals("on (set by the user: TF_ENABLE_ONEDNN_OPTS=1)", choice.describe());
    assertEquals(Optional.of("1"), choice.environmentValue());
    environment.put("TF_ENABLE_ONEDNN_OPTS", "false");
    assertEquals(Setting.OFF, decide(null).setting());
    environment.put("TF_ENABLE_ONEDNN_OPTS", "maybe");
    assertEquals(Setting.DEFAULT, decide(null).setting(), "what TensorFlow makes of it");
    assertEquals(0, measured);
  }

  @Test
  void theLaunchersChoiceStandsWhileItsVariableIsStillSet() throws IOException {
    environment.put("NETSPEC_ONEDNN_DECISION", "off measured 90.0 45.0");
    environment.put("TF_ENABLE_ONEDNN_OPTS", "0");
    assertEquals(new OneDnnChoice(Setting.OFF, Source.MEASURED, Optional.of(OFF_FASTER), ""),
        decide(null));
    environment.put("NETSPEC_ONEDNN_DECISION", "on override - - NETSPEC_ONEDNN=on");
    environment.put("TF_ENABLE_ONEDNN_OPTS", "1");
    assertEquals(new OneDnnChoice(Setting.ON, Source.OVERRIDE, Optional.empty(),
        "NETSPEC_ONEDNN=on"), decide(null));
    cache.write(ON_FASTER);
    assertEquals(Optional.of(ON_FASTER), decide(null).measurement(), "shown beside an override");
    environment.put("TF_ENABLE_ONEDNN_OPTS", "0"); // changed since: the user's
    assertEquals(Source.USER, decide(null).source());
    environment.put("NETSPEC_ONEDNN_DECISION", "default failed - - no java");
    environment.remove("TF_ENABLE_ONEDNN_OPTS");
    assertEquals("TensorFlow's default (the measurement failed: no java)",
        decide(null).describe());
    assertEquals(0, measured);
  }

  @Test
  void aFailedMeasurementLeavesTensorFlowsDefaultAndIsNotKept() {
    OneDnnChoice failed = decide(null, () -> {
      throw new IOException("the benchmark with oneDNN off exited with 1: no TensorFlow");
    });
    assertEquals(OneDnnChoice.tensorFlowDefault(Source.FAILED,
        "the benchmark with oneDNN off exited with 1: no TensorFlow"), failed);
    assertEquals(Optional.empty(), failed.environmentValue());
    assertEquals(Optional.empty(), cache.read());
    assertEquals(Source.MEASURED, decide(null).source(), "measured again next time");
  }

  @Test
  void tooLateToMeasureIsTensorFlowsDefault() {
    OneDnnChoice late = new OneDnnPolicy(environment, null, cache, () -> {
      throw new AssertionError("measured");
    }, warnings::add).decide(false);
    assertEquals(OneDnnChoice.tensorFlowDefault(Source.UNMEASURED, ""), late);
  }

  @Test
  void anOverrideThatMeansNothingIsSaidAndTreatedAsAuto() {
    environment.put("NETSPEC_ONEDNN", "fastest");
    assertEquals(Source.MEASURED, decide(null).source());
    assertEquals(List.of("NETSPEC_ONEDNN=fastest is not on, off or auto; choosing oneDNN as for"
        + " auto"), warnings);
  }

  @Test
  void aCacheThatCannotBeWrittenIsSaidAndTheMeasurementStillDecides() throws IOException {
    Path file = folder.resolve("a-file");
    java.nio.file.Files.writeString(file, "");
    cache = new OneDnnVerdictCache(file, "a cpu"); // its folder is a file
    assertEquals(Setting.OFF, decide(null).setting());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("cannot keep the oneDNN measurement in "), warnings.get(0));
  }

  @Test
  void aChoiceRoundTripsThroughTheLaunchersLine() {
    for (OneDnnChoice choice : List.of(
        new OneDnnChoice(Setting.ON, Source.CACHED, Optional.of(ON_FASTER), "/home/u/.cache/x y"),
        new OneDnnChoice(Setting.OFF, Source.OVERRIDE, Optional.empty(), "NETSPEC_ONEDNN=off"),
        OneDnnChoice.tensorFlowDefault(Source.FAILED, "exited with 1:\n no\tjava"))) {
      assertEquals(Optional.of(choice), OneDnnChoice.parseLine(choice.toLine()), choice.toLine());
    }
    for (String junk : new String[] {"", "on", "sideways measured 1 2", "on measured x 2",
        "on measured 0 2"}) {
      assertEquals(Optional.empty(), OneDnnChoice.parseLine(junk), junk);
    }
  }
}
