package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.bridge.LogCapture;
import dev.bridge.plugin.HclogHandler;
import dev.bridge.plugin.HclogLevel;
import dev.bridge.plugin.StdioPublisher;
import dev.bridge.plugin.StdioStream;
import dev.bridge.script.ConsoleLevel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A script's console lines become log records at the console method's level, and stdio output on the matching stream. */
class ConsoleToHostTest {
  private static final Logger LOG = ConsoleToHost.LOG;

  private LogCapture log;
  private List<LogRecord> records;
  private boolean savedUseParentHandlers;

  @BeforeEach
  void listen() {
    savedUseParentHandlers = LOG.getUseParentHandlers();
    LOG.setUseParentHandlers(false);
    log = LogCapture.start(LOG.getName(), Level.ALL);
    records = log.records();
  }

  @AfterEach
  void stopListening() {
    log.close();
    LOG.setUseParentHandlers(savedUseParentHandlers);
  }

  @Test
  void eachLevelIsLoggedAtItsJulLevelAndPublishedOnItsStream() {
    List<String> published = new ArrayList<>();
    var console = new ConsoleToHost((stream, bytes) -> published.add(stream + " " + new String(bytes, StandardCharsets.UTF_8)),
        "main.mjs");
    console.line(ConsoleLevel.DEBUG, "d");
    console.line(ConsoleLevel.INFO, "i");
    console.line(ConsoleLevel.WARN, "w");
    console.line(ConsoleLevel.ERROR, "e");

    assertEquals(List.of(Level.FINE, Level.INFO, Level.WARNING, Level.SEVERE),
        records.stream().map(LogRecord::getLevel).toList());
    assertEquals(List.of("d", "i", "w", "e"), records.stream().map(LogRecord::getMessage).toList());
    assertEquals(Map.of("script", "main.mjs", "stream", "stderr"), records.get(2).getParameters()[0]);
    assertEquals(List.of("STDOUT d\n", "STDOUT i\n", "STDERR w\n", "STDERR e\n"), published);
  }

  @Test
  void theHclogLinesCarryTheConsoleLevels() throws Exception {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    HclogHandler hclog = new HclogHandler(stderr, HclogLevel.DEBUG);
    LOG.addHandler(hclog);
    try {
      var console = new ConsoleToHost((stream, bytes) -> {}, "main.mjs");
      for (ConsoleLevel level : ConsoleLevel.values()) {
        console.line(level, "at " + level);
      }
    } finally {
      LOG.removeHandler(hclog);
    }
    List<String> levels = new ArrayList<>();
    for (String line : stderr.toString(StandardCharsets.UTF_8).split("\n")) {
      Map<String, Object> entry = JSON.std.mapFrom(line);
      levels.add(entry.get("@level") + " " + entry.get("@message"));
    }
    assertEquals(List.of("debug at DEBUG", "info at INFO", "warn at WARN", "error at ERROR"), levels);
  }

  @Test
  void consoleOutputNobodyReadsNeverBlocks() {
    StdioPublisher nobodyListening = new StdioPublisher(1024);
    var console = new ConsoleToHost(nobodyListening::publish, "main.mjs");
    LOG.setLevel(Level.OFF);
    // A hang guard only: without a reader the publisher drops the oldest output instead of waiting.
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < 10_000; i++) {
        console.line(i % 2 == 0 ? ConsoleLevel.INFO : ConsoleLevel.ERROR, "line " + i);
      }
    });
    assertTrue(nobodyListening.droppedBytes() > 0);
    assertTrue(nobodyListening.bufferedBytes() <= 1024);
  }
}
