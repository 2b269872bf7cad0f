package dev.bridge.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON read as RFC 8259 has it, where a person wrote it: quoted keys, no comments, no trailing commas, no
 * duplicate keys, nothing after the value. Each value keeps where it stands in the text (line, column and its
 * exact source text), so that an error found later, by a mapping that does not know positions, can still point
 * at the place a person must edit.
 */
final class StrictJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      // The text itself is not repeated in messages: a location says where.
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  private StrictJson() {}

  /** Where a text is not JSON. Lines and columns count from 1. */
  static final class SyntaxError extends Exception {
    private final int line;
    private final int column;
    private final String reason;

    SyntaxError(int line, int column, String reason) {
      super(position(line, column, false) + ": " + reason);
      this.line = line;
      this.column = column;
      this.reason = reason;
    }

    int line() {
      return line;
    }

    int column() {
      return column;
    }

    /** What is wrong, without the location. */
    String reason() {
      return reason;
    }
  }

  /**
   * One value of the text.
   *
   * @param fields an object's members in the order written (empty for other values)
   * @param items an array's elements (empty for other values)
   */
  record Node(JsonToken token, int line, int column, int start, int end, Map<String, Node> fields, List<Node> items) {
    boolean isObject() {
      return token == JsonToken.START_OBJECT;
    }

    boolean isArray() {
      return token == JsonToken.START_ARRAY;
    }

    /** The value exactly as written. */
    String text(String source) {
      return source.substring(start, end);
    }
  }

  /** Where a value is, as errors say it: {@code line 2, column 21}, or {@code column 21} in a text of one line. */
  static String position(int line, int column, boolean oneLine) {
    return oneLine ? "column " + column : "line " + line + ", column " + column;
  }

  /** The one value the whole text holds. */
  static Node parse(String text) throws SyntaxError {
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() == null) {
        throw new SyntaxError(1, 1, "no JSON value");
      }
      Node root = read(parser);
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new SyntaxError(at.getLineNr(), at.getColumnNr(), "more after the end of the JSON value");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      return rethrow(at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), e.getOriginalMessage());
    } catch (IOException e) {
      // A String source reads no file; this is a parser failure rather than the text's fault.
      throw new IllegalStateException("reading JSON from a string failed", e);
    }
  }

  private static Node rethrow(int line, int column, String reason) throws SyntaxError {
    throw new SyntaxError(Math.max(line, 1), Math.max(column, 1), firstSentence(reason));
  }

  /** Jackson's reasons go on with advice for Java programmers (which feature to enable): the first part says it. */
  private static String firstSentence(String reason) {
    String text = String.valueOf(reason).lines().findFirst().orElse("");
    for (String advice : List.of(" (for ", "; to allow", ": enable `", " (not recognized")) {
      int at = text.indexOf(advice);
      text = at > 0 ? text.substring(0, at) : text;
    }
    return text;
  }

  /** The value at the parser's current token, which it consumes. */
  private static Node read(JsonParser parser) throws IOException, SyntaxError {
    JsonToken token = parser.currentToken();
    JsonLocation at = parser.currentTokenLocation();
    int start = (int) at.getCharOffset();
    switch (token) {
      case START_OBJECT -> {
        Map<String, Node> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          if (fields.containsKey(name)) {
            // Found here rather than by Jackson's duplicate detection, which points after the key, not at it.
            JsonLocation key = parser.currentTokenLocation();
            throw new SyntaxError(key.getLineNr(), key.getColumnNr(), "duplicate key \"" + name + "\"");
          }
          parser.nextToken();
          fields.put(name, read(parser));
        }
        return node(parser, token, at, start, Collections.unmodifiableMap(fields), List.of());
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser));
        }
        return node(parser, token, at, start, Map.of(), List.copyOf(items));
      }
      default -> {
        // A string's content is read lazily: finish it, so that the parser stands after its closing quote.
        parser.finishToken();
        return node(parser, token, at, start, Map.of(), List.of());
      }
    }
  }

  private static Node node(JsonParser parser, JsonToken token, JsonLocation at, int start, Map<String, Node> fields,
      List<Node> items) {
    int end = (int) parser.currentLocation().getCharOffset();
    return new Node(token, at.getLineNr(), at.getColumnNr(), start, end, fields, items);
  }
}
