package dev.bridge.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtoFileLoaderTest {
  static final Path KV_PROTO = Path.of("../proto/kv.proto");

  @TempDir Path dir;

  @Test
  void loadsTheKvServiceWireCompatibleWithGoPluginsExample() throws Exception {
    ProtoSchema schema = new ProtoFileLoader().load(List.of(KV_PROTO), List.of());
    ServiceDescriptor kv = schema.service("proto.KV").orElseThrow();
    assertEquals(List.of("Get", "Put"), kv.getMethods().stream().map(m -> m.getName()).toList());
    var get = kv.findMethodByName("Get");
    assertEquals("proto.GetRequest", get.getInputType().getFullName());
    assertEquals("proto.GetResponse", get.getOutputType().getFullName());
    FieldDescriptor value = kv.findMethodByName("Put").getInputType().findFieldByNumber(2);
    assertEquals("value", value.getName());
    assertEquals(FieldDescriptor.Type.BYTES, value.getType());
    assertEquals("proto.Empty", kv.findMethodByName("Put").getOutputType().getFullName());
  }

  @Test
  void importedMessagesArriveWithTheirFieldsFromTheProtoDirectoryAndWellKnownTypes() throws Exception {
    Files.writeString(dir.resolve("common.proto"), """
        syntax = "proto3";
        package demo;
        message Item { string name = 1; }
        """);
    Path service = Files.writeString(dir.resolve("shop.proto"), """
        syntax = "proto3";
        package demo;
        import "common.proto";
        import "google/protobuf/timestamp.proto";
        message Order { repeated Item items = 1; google.protobuf.Timestamp at = 2; map<string, int64> counts = 3; }
        service Shop { rpc Place(Order) returns (Item); }
        """);
    ProtoSchema schema = new ProtoFileLoader().load(List.of(service), List.of());
    var order = schema.service("demo.Shop").orElseThrow().findMethodByName("Place").getInputType();
    var item = order.findFieldByName("items").getMessageType();
    assertEquals("demo.Item", item.getFullName());
    assertEquals("name", item.findFieldByNumber(1).getName());
    var timestamp = order.findFieldByName("at").getMessageType();
    assertEquals("google.protobuf.Timestamp", timestamp.getFullName());
    assertEquals(List.of("seconds", "nanos"), timestamp.getFields().stream().map(f -> f.getName()).toList());
    assertTrue(order.findFieldByName("counts").isMapField());
    // What dev mode watches: the files read from disk, imports included, built-in types not.
    assertEquals(java.util.Set.of(service.toAbsolutePath(), dir.resolve("common.proto").toAbsolutePath()),
        java.util.Set.copyOf(schema.sourceFiles()));
  }

  @Test
  void aSyntaxErrorNamesFileLineAndColumn() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.proto"), """
        syntax = "proto3";
        message A { string name = ; }
        """);
    var error = assertThrows(SchemaLoadException.class,
        () -> new ProtoFileLoader().load(List.of(broken), List.of()));
    assertTrue(error.getMessage().contains("broken.proto:2:"), error.getMessage());
  }

  @Test
  void anUnknownTypeNamesTheFileAndType() throws IOException {
    Path broken = Files.writeString(dir.resolve("unknown.proto"), """
        syntax = "proto3";
        message A { Missing thing = 1; }
        """);
    var error = assertThrows(SchemaLoadException.class,
        () -> new ProtoFileLoader().load(List.of(broken), List.of()));
    assertTrue(error.getMessage().contains("Missing"), error.getMessage());
    assertTrue(error.getMessage().contains("unknown.proto"), error.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    var error = assertThrows(SchemaLoadException.class,
        () -> new ProtoFileLoader().load(List.of(dir.resolve("nope.proto")), List.of()));
    assertTrue(error.getMessage().contains("nope.proto: no such .proto file"), error.getMessage());
  }

  @Test
  void selectingAServiceThatDoesNotExistListsTheOnesThatDo() throws Exception {
    ProtoSchema schema = new ProtoFileLoader().load(List.of(KV_PROTO), List.of());
    var error = assertThrows(SchemaLoadException.class, () -> schema.select(List.of("proto.Nope")));
    assertTrue(error.getMessage().contains("service proto.Nope not found"), error.getMessage());
    assertTrue(error.getMessage().contains("proto.KV"), error.getMessage());
    assertEquals(List.of("proto.KV"), schema.select(List.of()).stream().map(ServiceDescriptor::getFullName).toList());
  }
}
