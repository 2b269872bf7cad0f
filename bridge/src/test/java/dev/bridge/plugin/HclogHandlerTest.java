package dev.bridge.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class HclogHandlerTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private List<Map<String, Object>> lines() throws Exception {
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.isEmpty() || text.endsWith("\n"), "every line ends with a newline");
    return Arrays.stream(text.split("\n")).filter(l -> !l.isEmpty()).map(HclogHandlerTest::parse).toList();
  }

  private static Map<String, Object> parse(String line) {
    try {
      return JSON.std.mapFrom(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private static LogRecord record(Level level, String message, Object... parameters) {
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName("bridge.test");
    record.setParameters(parameters);
    record.setInstant(Instant.parse("2026-03-04T05:06:07.123456789Z"));
    return record;
  }

  @Test
  void writesOneHclogJsonObjectPerLine() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.TRACE, ZoneOffset.UTC);
    handler.publish(record(Level.INFO, "hello"));
    handler.publish(record(Level.WARNING, "careful"));
    List<Map<String, Object>> lines = lines();
    assertEquals(2, lines.size());
    Map<String, Object> first = lines.getFirst();
    assertEquals("info", first.get("@level"));
    assertEquals("hello", first.get("@message"));
    assertEquals("bridge.test", first.get("@module"));
    assertEquals("2026-03-04T05:06:07.123456Z", first.get("@timestamp"));
    assertEquals("warn", lines.get(1).get("@level"));
  }

  @Test
  void timestampHasSixFractionDigitsAndTheZoneOffsetAsGoPluginParsesIt() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.INFO, ZoneId.of("+05:30"));
    handler.publish(record(Level.INFO, "x"));
    String ts = (String) lines().getFirst().get("@timestamp");
    assertEquals("2026-03-04T10:36:07.123456+05:30", ts);
    assertEquals(Instant.parse("2026-03-04T05:06:07.123456Z"), OffsetDateTime.parse(ts).toInstant());
    assertTrue(ts.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}(Z|[+-]\\d\\d:\\d\\d)"), ts);
  }

  @Test
  void julLevelsMapOntoHclogLevels() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.TRACE, ZoneOffset.UTC);
    for (Level level :
        List.of(Level.FINEST, Level.FINER, Level.FINE, Level.CONFIG, Level.INFO, Level.WARNING, Level.SEVERE)) {
      handler.publish(record(level, level.getName()));
    }
    assertEquals(
        List.of("trace", "trace", "debug", "debug", "info", "warn", "error"),
        lines().stream().map(l -> l.get("@level")).toList());
  }

  @Test
  void recordsBelowTheLevelAreDropped() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.WARN, ZoneOffset.UTC);
    handler.publish(record(Level.INFO, "quiet"));
    handler.publish(record(Level.SEVERE, "loud"));
    assertEquals(List.of("loud"), lines().stream().map(l -> l.get("@message")).toList());
  }

  @Test
  void aMapFirstParameterBecomesExtraKeysWithoutOverridingReservedOnes() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.INFO, ZoneOffset.UTC);
    handler.publish(
        record(
            Level.INFO,
            "call done",
            Map.of("method", "kv.KV/Get", "ms", 12, "ok", true, "@level", "error", "nested", List.of(1, "a"),
                "odd", new Object() {
                  @Override
                  public String toString() {
                    return "odd-object";
                  }
                })));
    Map<String, Object> line = lines().getFirst();
    assertEquals("info", line.get("@level"));
    assertEquals("kv.KV/Get", line.get("method"));
    assertEquals("12", line.get("ms"));
    assertEquals(true, line.get("ok"));
    assertEquals(List.of("1", "a"), line.get("nested"));
    assertEquals("odd-object", line.get("odd"));
  }

  @Test
  void wholeNumbersAreStringsSoTheHostPrintsTheirDigitsNotAFloat() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.INFO, ZoneOffset.UTC);
    var pairs = new java.util.LinkedHashMap<String, Object>();
    pairs.put("max_message_size", 4194304);
    pairs.put("bytes", 9007199254740993L);
    pairs.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    pairs.put("ratio", 0.5);
    pairs.put("sizes", List.of(1048576, 2));
    handler.publish(record(Level.INFO, "serving", pairs));
    String text = err.toString(StandardCharsets.UTF_8);
    // go-plugin's host decodes a JSON number as a float64, which hclog prints as 4.194304e+06.
    assertTrue(text.contains("\"max_message_size\":\"4194304\""), text);
    assertTrue(text.contains("\"bytes\":\"9007199254740993\""), text);
    assertTrue(text.contains("\"big\":\"123456789012345678901234567890\""), text);
    assertTrue(text.contains("\"ratio\":0.5"), text);
    assertTrue(text.contains("\"sizes\":[\"1048576\",\"2\"]"), text);
  }

  @Test
  void messageFormatParametersStillWork() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.INFO, ZoneOffset.UTC);
    handler.publish(record(Level.INFO, "loaded {0} services", 3));
    assertEquals("loaded 3 services", lines().getFirst().get("@message"));
  }

  @Test
  void throwablesGoIntoExtraKeysWithClassMessageAndStack() throws Exception {
    HclogHandler handler = new HclogHandler(err, HclogLevel.INFO, ZoneOffset.UTC);
    LogRecord record = record(Level.SEVERE, "failed");
    record.setThrown(new IllegalStateException("broken thing"));
    handler.publish(record);
    Map<String, Object> line = lines().getFirst();
    assertEquals("java.lang.IllegalStateException: broken thing", line.get("error"));
    String stack = (String) line.get("stacktrace");
    assertTrue(stack.contains("HclogHandlerTest"), stack);
    assertFalse(err.toString(StandardCharsets.UTF_8).strip().contains("\n"), "the stack stays inside one line");
  }

  @Test
  void installMakesItTheOnlyRootHandlerSoSystemLoggerAndJulGoThroughIt() throws Exception {
    withInstalled(
        HclogLevel.INFO,
        handler -> {
          assertEquals(List.of(handler), List.of(LogManager.getLogManager().getLogger("").getHandlers()));
          System.getLogger("dev.bridge.test").log(System.Logger.Level.INFO, "via system logger", Map.of("k", "v"));
          Logger.getLogger("io.grpc.something").warning("grpc trouble");
          System.getLogger("dev.bridge.test").log(System.Logger.Level.DEBUG, "too fine");
          List<Map<String, Object>> lines = lines();
          assertEquals(2, lines.size(), lines.toString());
          assertEquals("info", lines.getFirst().get("@level"));
          assertEquals("via system logger", lines.getFirst().get("@message"));
          assertEquals("v", lines.getFirst().get("k"));
          assertEquals("io.grpc.something", lines.get(1).get("@module"));
          assertEquals("warn", lines.get(1).get("@level"));
        });
  }

  @Test
  void debugShowsBridgesOwnDetailButNotThirdPartyInternals() throws Exception {
    withInstalled(
        HclogLevel.DEBUG,
        handler -> {
          System.getLogger("dev.bridge.test").log(System.Logger.Level.DEBUG, "ours");
          Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler").fine("frame dump");
          System.getLogger("dev.bridge.test").log(System.Logger.Level.TRACE, "too fine");
          assertEquals(List.of("ours"), lines().stream().map(l -> l.get("@message")).toList());
        });
  }

  @Test
  void traceShowsEverything() throws Exception {
    withInstalled(
        HclogLevel.TRACE,
        handler -> {
          System.getLogger("dev.bridge.test").log(System.Logger.Level.TRACE, "ours");
          Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler").fine("frame dump");
          assertEquals(
              List.of("trace", "debug"), lines().stream().map(l -> l.get("@level")).toList());
        });
  }

  interface InstalledCheck {
    void run(HclogHandler handler) throws Exception;
  }

  private void withInstalled(HclogLevel level, InstalledCheck check) throws Exception {
    Logger root = LogManager.getLogManager().getLogger("");
    Handler[] saved = root.getHandlers();
    Level savedLevel = root.getLevel();
    Logger bridge = Logger.getLogger(HclogHandler.BRIDGE_LOGGERS);
    Level savedBridgeLevel = bridge.getLevel();
    try {
      check.run(HclogHandler.install(err, level));
    } finally {
      for (Handler h : root.getHandlers()) {
        root.removeHandler(h);
      }
      for (Handler h : saved) {
        root.addHandler(h);
      }
      root.setLevel(savedLevel);
      bridge.setLevel(savedBridgeLevel);
    }
  }

  @Test
  void logLevelComesFromBridgeLogLevel() {
    assertEquals(HclogLevel.INFO, HclogLevel.fromEnv(Map.of()));
    assertEquals(HclogLevel.INFO, HclogLevel.fromEnv(Map.of("BRIDGE_LOG_LEVEL", "")));
    assertEquals(HclogLevel.TRACE, HclogLevel.fromEnv(Map.of("BRIDGE_LOG_LEVEL", "trace")));
    assertEquals(HclogLevel.DEBUG, HclogLevel.fromEnv(Map.of("BRIDGE_LOG_LEVEL", "DEBUG")));
    assertEquals(HclogLevel.WARN, HclogLevel.fromEnv(Map.of("BRIDGE_LOG_LEVEL", "warn")));
    assertEquals(HclogLevel.ERROR, HclogLevel.fromEnv(Map.of("BRIDGE_LOG_LEVEL", "error")));
    InvalidEnvironmentException e =
        assertThrows(InvalidEnvironmentException.class, () -> HclogLevel.fromEnv(Map.of("BRIDGE_LOG_LEVEL", "loud")));
    assertEquals("BRIDGE_LOG_LEVEL", e.variable());
    assertTrue(e.getMessage().contains("loud"), e.getMessage());
  }
}
