package dev.bridge.script;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.bridge.schema.ProtoFileLoader;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The protos of {@code src/test/resources/mapping} loaded the way the plugin loads them (Wire, at run
 * time: their well-known types are other descriptor instances than protobuf-java's; see {@link #loadSchema}), and one runtime of
 * {@code mapping/main.mjs} serving them. proto3 JSON ({@link JsonFormat}) is the independent oracle the
 * tests write messages in.
 */
final class MappingScript implements AutoCloseable {
  static final Path DIR = resource("mapping");
  static final ProtoSchema SCHEMA = loadSchema();
  static final FileDescriptor EVERYTHING = SCHEMA.files().get(0);
  static final FileDescriptor LEGACY = SCHEMA.files().get(1);
  static final Descriptor ALL = EVERYTHING.findMessageTypeByName("All");
  static final Descriptor NODE = EVERYTHING.findMessageTypeByName("Node");
  static final com.google.protobuf.TypeRegistry TYPES = com.google.protobuf.TypeRegistry.newBuilder()
      .add(EVERYTHING.getMessageTypes()).add(LEGACY.getMessageTypes()).build();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES)
      .omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES);

  final ScriptRuntime runtime;
  private final Path files;

  MappingScript() throws Exception {
    files = Files.createTempDirectory("mapping-files");
    runtime = ScriptRuntime.load(SharedEngine.ENGINE, DIR.resolve("main.mjs"), files, ConsoleSink.discard());
  }

  @Override
  public void close() throws IOException {
    runtime.close();
    Files.deleteIfExists(files);
  }

  static MethodDescriptor method(String name) {
    MethodDescriptor found = EVERYTHING.findServiceByName("Mapping").findMethodByName(name);
    return found != null ? found : LEGACY.findServiceByName("LegacyService").findMethodByName(name);
  }

  DynamicMessage call(String method, DynamicMessage request) throws Exception {
    return ScriptFixture.call(runtime, method(method), request);
  }

  /** The failure message of a call that must fail. */
  String failure(String method, DynamicMessage request) throws Exception {
    return ScriptFixture.failure(runtime, method(method), request).getMessage();
  }

  /** The {@code All} a JS expression evaluates to, as proto3 JSON. */
  String make(String expression) throws Exception {
    return json(call("Make", string(expression)));
  }

  /** The failure message of {@code Make} with this expression. */
  String makeFailure(String expression) throws Exception {
    return failure("Make", string(expression));
  }

  /** {@code String(expression)}, evaluated with {@code r} the {@code All} written as proto3 JSON. */
  String inspect(String allJson, String expression) throws Exception {
    Descriptor probe = EVERYTHING.findMessageTypeByName("Probe");
    DynamicMessage request = DynamicMessage.newBuilder(probe)
        .setField(probe.findFieldByName("all"), parse(ALL, allJson))
        .setField(probe.findFieldByName("expr"), expression)
        .build();
    return unwrapString(call("Inspect", request));
  }

  static DynamicMessage string(String value) {
    Descriptor type = method("Make").getInputType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByNumber(1), value).build();
  }

  static String unwrapString(DynamicMessage stringValue) {
    return (String) stringValue.getField(stringValue.getDescriptorForType().findFieldByNumber(1));
  }

  static String json(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static DynamicMessage parse(Descriptor type, String json) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    try {
      PARSER.merge(json, builder);
      // JsonFormat sets protobuf-java's own NullValue descriptor in run-time Values: reparse for ours
      return DynamicMessage.parseFrom(type, builder.build().toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(MappingScript.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static ProtoSchema loadSchema() {
    try {
      return new ProtoFileLoader().load(
          List.of(DIR.resolve("everything.proto"), DIR.resolve("legacy.proto")), List.of(DIR));
    } catch (SchemaLoadException e) {
      throw new AssertionError(e);
    }
  }
}
