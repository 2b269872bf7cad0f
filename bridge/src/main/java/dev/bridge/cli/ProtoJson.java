package dev.bridge.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.bridge.schema.AnyTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Messages of a plugin's schema as proto3 JSON, both ways. An {@code Any} may hold what it may hold for
 * handlers ({@link AnyTypes}).
 */
final class ProtoJson {
  private final JsonFormat.TypeRegistry types;
  private final JsonFormat.Parser parser;
  private final JsonFormat.Printer printer;

  private ProtoJson(JsonFormat.TypeRegistry types) {
    this.types = types;
    this.parser = JsonFormat.parser().usingTypeRegistry(types);
    // Every field is printed, defaults included, as a handler sees every field: `jq .value` finds "" rather than null.
    this.printer = JsonFormat.printer().usingTypeRegistry(types).alwaysPrintFieldsWithNoPresence();
  }

  /** For the files a plugin loaded. */
  static ProtoJson of(List<FileDescriptor> schema) {
    // The registry adds whole files (a type brings its file and what that imports), so one type per file
    // would do; every type is added so that a file defining only services still brings its imports.
    List<Descriptor> types = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (FileDescriptor file : AnyTypes.filesWithImports(schema)) {
      seen.add(file.getName());
      types.addAll(file.getMessageTypes());
    }
    // Well-known files come last: a loaded file of the same name was added first and is the one used.
    AnyTypes.WELL_KNOWN.stream().filter(type -> !seen.contains(type.getFile().getName())).forEach(types::add);
    AnyTypes.ERROR_DETAILS.stream().filter(type -> !seen.contains(type.getFile().getName())).forEach(types::add);
    return new ProtoJson(JsonFormat.TypeRegistry.newBuilder().add(types).build());
  }

  /** A text that is not a message of the type in proto3 JSON; the message says where, and what is wrong. */
  static final class InvalidJsonException extends Exception {
    InvalidJsonException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The message of this type that the JSON describes; unknown fields are errors. The text must be strict JSON
   * (quoted keys, no comments, no trailing commas, no duplicate keys), which JsonFormat alone does not check.
   *
   * @param rootPath what the text is, first in the field paths of errors ({@code request} for
   *     {@code request.item.stock})
   * @throws InvalidJsonException naming the line and column of a syntax error, or the field path, line and column of
   *     the value JsonFormat refused
   */
  DynamicMessage parse(String json, Descriptor type, String rootPath) throws InvalidJsonException {
    return parse(json, type, rootPath, false);
  }

  /**
   * The same for one line of JSON lines, whose errors say where by column alone ({@code request.item.stock at
   * column 21}), the line being the caller's to name.
   */
  DynamicMessage parseLine(String line, Descriptor type, String rootPath) throws InvalidJsonException {
    return parse(line, type, rootPath, true);
  }

  private DynamicMessage parse(String json, Descriptor type, String rootPath, boolean oneLine)
      throws InvalidJsonException {
    StrictJson.Node root;
    try {
      root = StrictJson.parse(json);
    } catch (StrictJson.SyntaxError e) {
      throw new InvalidJsonException(StrictJson.position(e.line(), e.column(), oneLine) + ": " + e.reason(), e);
    }
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    try {
      parser.merge(json, message);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      JsonFieldLocator.Refusal refusal = new JsonFieldLocator(parser, types, json).locate(root, type, rootPath, reason(e));
      throw new InvalidJsonException(refusal.describe(oneLine), e);
    }
    return message.build();
  }

  /** Indented, as people read it (and jq takes it); a message without fields is {@code {}}. */
  String print(DynamicMessage message) throws InvalidProtocolBufferException {
    String json = HtmlSafeEscapes.undo(printer.print(message));
    return json.equals("{\n}") ? "{}" : json;
  }

  /**
   * On one line: a response of a stream as {@code bridgejs call} prints it, or an error detail after the status
   * (an Any, {@code "@type"} first).
   */
  String printLine(MessageOrBuilder message) throws InvalidProtocolBufferException {
    return HtmlSafeEscapes.undo(printer.omittingInsignificantWhitespace().print(message));
  }

  /** JsonFormat's reason without the name of the exception it came from ({@code java.io.EOFException: ...}). */
  static String reason(Exception e) {
    String message = String.valueOf(e.getMessage());
    return message.replaceFirst("^(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ", "");
  }
}
