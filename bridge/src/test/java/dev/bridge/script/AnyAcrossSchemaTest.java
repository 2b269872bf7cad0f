package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.bridge.schema.ProtoFileLoader;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code Any} may hold any message type of the loaded schema: here {@code shapes.proto}, which the
 * service's {@code envelopes.proto} does not import, loaded alongside it as a plugin loads its
 * {@code proto} files.
 */
class AnyAcrossSchemaTest {
  private static final Path DIR = resource("anyschema");
  private static final ProtoSchema SCHEMA = load();
  private static final FileDescriptor ENVELOPES = SCHEMA.files().get(0);
  private static final FileDescriptor SHAPES = SCHEMA.files().get(1);
  private static final Descriptor ENVELOPE = ENVELOPES.findMessageTypeByName("Envelope");
  private static final Descriptor ANY = ENVELOPE.findFieldByName("payload").getMessageType();
  private static final Descriptor POINT = SHAPES.findMessageTypeByName("Point");
  private static final Descriptor LABEL = POINT.findNestedTypeByName("Label");

  @TempDir Path files;

  @Test
  void aMessageOfAFileTheServiceDoesNotImportMapsToItsFieldsBothWays() throws Exception {
    DynamicMessage point = DynamicMessage.newBuilder(POINT)
        .setField(POINT.findFieldByName("x"), 3)
        .setField(POINT.findFieldByName("label"), label("p"))
        .build();
    DynamicMessage response = call(withSchema(), "Echo", envelope(any("type.googleapis.com/shapes.Point", point)));

    assertEquals("{\"@type\":\"type.googleapis.com/shapes.Point\",\"x\":3,\"label\":{\"text\":\"p\"}}", note(response));
    Message payload = payload(response);
    assertEquals("type.googleapis.com/shapes.Point", field(payload, "type_url"));
    assertEquals(point, DynamicMessage.parseFrom(POINT, (ByteString) field(payload, "value")));
  }

  @Test
  void aNestedMessageTypeIsKnownToo() throws Exception {
    DynamicMessage request = DynamicMessage.newBuilder(ENVELOPE).setField(ENVELOPE.findFieldByName("note"), "north").build();
    Message payload = payload(call(withSchema(), "Label", request));

    assertEquals("type.googleapis.com/shapes.Point.Label", field(payload, "type_url"));
    assertEquals(label("north"), DynamicMessage.parseFrom(LABEL, (ByteString) field(payload, "value")));
  }

  @Test
  void aTypeNoLoadedFileDefinesStillArrivesAsBytes() throws Exception {
    Message unknown = DynamicMessage.newBuilder(ANY)
        .setField(ANY.findFieldByName("type_url"), "type.googleapis.com/nowhere.Thing")
        .setField(ANY.findFieldByName("value"), ByteString.copyFrom(new byte[] {8, 1}))
        .build();
    DynamicMessage response = call(withSchema(), "Echo", envelope(unknown));

    assertEquals("{\"@type\":\"type.googleapis.com/nowhere.Thing\",\"value\":\"bytes 8,1\"}", note(response));
    assertEquals(unknown, payload(response));
  }

  @Test
  void withoutASchemaOnlyTheServiceFileAndItsImportsAreKnown() throws Exception {
    DynamicMessage point = DynamicMessage.newBuilder(POINT).setField(POINT.findFieldByName("x"), 3).build();
    DynamicMessage response = call(ScriptOptions.defaults(), "Echo", envelope(any("type.googleapis.com/shapes.Point", point)));

    assertEquals("{\"@type\":\"type.googleapis.com/shapes.Point\",\"value\":\"bytes 8,3\"}", note(response));
  }

  private static ScriptOptions withSchema() {
    return ScriptOptions.defaults().withSchema(SCHEMA.files());
  }

  private DynamicMessage call(ScriptOptions options, String method, DynamicMessage request) throws Exception {
    MethodDescriptor rpc = ENVELOPES.findServiceByName("Envelopes").findMethodByName(method);
    try (var runtime = ScriptRuntime.load(SharedEngine.ENGINE, DIR.resolve("main.mjs"), files, ConsoleSink.discard(),
        options)) {
      return ScriptFixture.call(runtime, rpc, request);
    }
  }

  private static DynamicMessage label(String text) {
    return DynamicMessage.newBuilder(LABEL).setField(LABEL.findFieldByName("text"), text).build();
  }

  private static Message any(String typeUrl, Message packed) {
    return DynamicMessage.newBuilder(ANY)
        .setField(ANY.findFieldByName("type_url"), typeUrl)
        .setField(ANY.findFieldByName("value"), packed.toByteString())
        .build();
  }

  private static DynamicMessage envelope(Message payload) {
    return DynamicMessage.newBuilder(ENVELOPE).setField(ENVELOPE.findFieldByName("payload"), payload).build();
  }

  private static String note(DynamicMessage envelope) {
    return (String) field(envelope, "note");
  }

  private static Message payload(DynamicMessage envelope) {
    return (Message) field(envelope, "payload");
  }

  private static Object field(Message message, String name) {
    return message.getField(message.getDescriptorForType().findFieldByName(name));
  }

  private static ProtoSchema load() {
    try {
      return new ProtoFileLoader().load(List.of(DIR.resolve("envelopes.proto"), DIR.resolve("shapes.proto")), List.of());
    } catch (SchemaLoadException e) {
      throw new AssertionError(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(AnyAcrossSchemaTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
