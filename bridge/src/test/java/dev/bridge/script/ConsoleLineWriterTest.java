package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleLineWriterTest {
  @Test
  void splitsIntoLinesAcrossWritesAndHandsOnTheRestAtClose() {
    List<String> lines = new ArrayList<>();
    ConsoleLineWriter writer = new ConsoleLineWriter(lines::add);
    byte[] text = "one\ntw".getBytes(StandardCharsets.UTF_8);
    writer.write(text, 0, text.length);
    writer.flush();
    writer.write('o');
    byte[] more = "\r\n\nthré".getBytes(StandardCharsets.UTF_8);
    writer.write(more, 0, more.length);
    assertEquals(List.of("one", "two", ""), lines);
    writer.close();
    assertEquals(List.of("one", "two", "", "thré"), lines);
  }

  @Test
  void splitsOverlongLines() {
    List<String> lines = new ArrayList<>();
    ConsoleLineWriter writer = new ConsoleLineWriter(lines::add);
    byte[] text = ("x".repeat(ConsoleLineWriter.MAX_LINE_BYTES + 10) + "\n").getBytes(StandardCharsets.UTF_8);
    writer.write(text, 0, text.length);
    assertEquals(2, lines.size());
    assertEquals(ConsoleLineWriter.MAX_LINE_BYTES, lines.get(0).length());
    assertEquals(10, lines.get(1).length());
  }
}
