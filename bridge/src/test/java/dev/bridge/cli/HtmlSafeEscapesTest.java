package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlSafeEscapesTest {
  @Test
  void htmlSafeEscapesBecomeTheirCharacters() {
    assertEquals("{\"q\":\"a=b<c>&'d\"}", HtmlSafeEscapes.undo("{\"q\":\"a\\u003db\\u003cc\\u003e\\u0026\\u0027d\"}"));
  }

  @Test
  void anEscapedBackslashBeforeULeavesTheTextAlone() {
    String json = "{\"path\":\"C:\\\\u003d\"}";
    assertEquals(json, HtmlSafeEscapes.undo(json));
  }

  @Test
  void otherEscapesStay() {
    String json = "{\"s\":\"tab\\there \\u0001 \\\"q\\\" \\\\\"}";
    assertEquals(json, HtmlSafeEscapes.undo(json));
  }
}
