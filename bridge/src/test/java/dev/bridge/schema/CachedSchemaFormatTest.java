package dev.bridge.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedSchemaFormatTest {
  static final CachedSchemaEntry ENTRY = new CachedSchemaEntry("format 1:1\n",
      List.of(new CachedSchemaEntry.CachedFile(new FileOrigin("/protos", "kv.proto"), "ab12"),
          new CachedSchemaEntry.CachedFile(new FileOrigin("", "google/protobuf/descriptor.proto"), "")),
      FileDescriptorSet.newBuilder()
          .addFile(FileDescriptorProto.newBuilder().setName("kv.proto"))
          .addFile(FileDescriptorProto.newBuilder().setName("google/protobuf/descriptor.proto"))
          .build());

  @Test
  void anEntryReadsBackAsWritten() throws IOException {
    assertEquals(ENTRY, CachedSchemaFormat.decode(CachedSchemaFormat.encode(ENTRY)));
  }

  @Test
  void everyTruncationIsRefused() throws IOException {
    byte[] bytes = CachedSchemaFormat.encode(ENTRY);
    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = Arrays.copyOf(bytes, length);
      assertThrows(IOException.class, () -> CachedSchemaFormat.decode(truncated), "length " + length);
    }
  }

  @Test
  void anEntryOfAnotherFormatVersionIsRefusedNamingIt() throws IOException {
    byte[] bytes = CachedSchemaFormat.encode(ENTRY);
    int versionAt = "bridge schema cache\n".length();
    ByteBuffer.wrap(bytes).putInt(versionAt, CachedSchemaFormat.VERSION + 1);
    byte[] content = Arrays.copyOf(bytes, bytes.length - 32);
    System.arraycopy(Sha256.of(content), 0, bytes, bytes.length - 32, 32);

    var error = assertThrows(IOException.class, () -> CachedSchemaFormat.decode(bytes));

    assertTrue(error.getMessage().contains("format version " + (CachedSchemaFormat.VERSION + 1)), error.getMessage());
  }
}
