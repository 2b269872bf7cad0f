package dev.bridge.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorSetLoaderTest {
  @TempDir Path dir;

  @Test
  void readsTheSameServiceFromACompiledDescriptorSet() throws Exception {
    ProtoSchema parsed = new ProtoFileLoader().load(List.of(ProtoFileLoaderTest.KV_PROTO), List.of());
    var set = FileDescriptorSet.newBuilder();
    List<FileDescriptor> all = new ArrayList<>(parsed.files().getFirst().getDependencies());
    all.addAll(parsed.files());
    all.forEach(file -> set.addFile(file.toProto()));
    Path file = dir.resolve("kv.pb");
    Files.write(file, set.build().toByteArray());

    ProtoSchema loaded = new DescriptorSetLoader().load(file);
    assertEquals(parsed.service("proto.KV").orElseThrow().toProto(),
        loaded.service("proto.KV").orElseThrow().toProto());
  }

  @Test
  void garbageIsRefusedNamingTheFile() throws Exception {
    Path file = Files.write(dir.resolve("junk.pb"), new byte[] {(byte) 0xff, 0x01, 0x02});
    var error = assertThrows(SchemaLoadException.class, () -> new DescriptorSetLoader().load(file));
    assertTrue(error.getMessage().startsWith(file + ": not a FileDescriptorSet"), error.getMessage());
  }

  @Test
  void aMissingImportIsNamed() throws Exception {
    ProtoSchema parsed = new ProtoFileLoader().load(List.of(ProtoFileLoaderTest.KV_PROTO), List.of());
    var proto = parsed.files().getFirst().toProto().toBuilder().addDependency("absent.proto").build();
    Path file = Files.write(dir.resolve("partial.pb"), FileDescriptorSet.newBuilder().addFile(proto).build().toByteArray());
    var error = assertThrows(SchemaLoadException.class, () -> new DescriptorSetLoader().load(file));
    assertTrue(error.getMessage().contains("imported file absent.proto is missing"), error.getMessage());
  }
}
