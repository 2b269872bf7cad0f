package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON as a person must write it, with every value's place in the text. */
class StrictJsonTest {
  private static String error(String text) {
    return assertThrows(StrictJson.SyntaxError.class, () -> StrictJson.parse(text)).getMessage();
  }

  @Test
  void whatLenientParsersAcceptIsRefusedWithLineAndColumn() {
    assertEquals("line 1, column 2: Unexpected character ('s' (code 115)): was expecting double-quote to start "
        + "field name", error("{sku:1}"));
    assertEquals("line 2, column 1: Unexpected character ('}' (code 125)): was expecting double-quote to start "
        + "field name", error("{\"a\": 1,\n}"));
    assertEquals("line 1, column 10: Non-standard token 'NaN'", error("{\"a\": NaN}"));
    assertEquals("line 1, column 9: Unexpected character ('/' (code 47)): maybe a (non-standard) comment?",
        error("{\"a\": 1 /* c */}"));
    assertEquals("line 1, column 10: duplicate key \"a\"", error("{\"a\": 1, \"a\": 2}"));
    assertEquals("line 1, column 10: more after the end of the JSON value", error("{\"a\": 1} {}"));
    assertEquals("line 1, column 1: no JSON value", error(" "));
  }

  @Test
  void everyValueKeepsItsPlaceAndItsTextAsWritten() throws Exception {
    String text = "{\n  \"item\": {\"stock\": \"abc\"},\n  \"lines\": [{\"quantity\": -1}, 1.50e3]\n}";
    StrictJson.Node root = StrictJson.parse(text);
    StrictJson.Node stock = root.fields().get("item").fields().get("stock");
    assertEquals(List.of(2, 21, "\"abc\""), List.of(stock.line(), stock.column(), stock.text(text)));
    StrictJson.Node lines = root.fields().get("lines");
    StrictJson.Node quantity = lines.items().getFirst().fields().get("quantity");
    assertEquals(List.of(3, 26, "-1"), List.of(quantity.line(), quantity.column(), quantity.text(text)));
    assertEquals("{\"quantity\": -1}", lines.items().getFirst().text(text));
    assertEquals("1.50e3", lines.items().get(1).text(text));
    assertEquals(text, root.text(text));
  }
}
