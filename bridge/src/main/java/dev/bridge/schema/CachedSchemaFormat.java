package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes of a cache entry: a magic line, the format version, the key, each file's root, name and
 * digest, the FileDescriptorSet, and last the SHA-256 of everything before it, so that a truncated or
 * damaged entry is recognized as such rather than parsed into something else.
 */
final class CachedSchemaFormat {
  /** Bump when the layout of entries, or what goes into one, changes. */
  static final int VERSION = 1;

  private static final byte[] MAGIC = "bridge schema cache\n".getBytes(StandardCharsets.US_ASCII);
  private static final int CHECKSUM_LENGTH = 32;
  private static final int MAX_FILES = 100_000;

  private CachedSchemaFormat() {}

  static byte[] encode(CachedSchemaEntry entry) throws IOException {
    var bytes = new ByteArrayOutputStream();
    var out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.writeUTF(entry.key());
    out.writeInt(entry.files().size());
    for (CachedSchemaEntry.CachedFile file : entry.files()) {
      out.writeUTF(file.origin().root());
      out.writeUTF(file.origin().name());
      out.writeUTF(file.sha256());
    }
    byte[] descriptors = entry.descriptors().toByteArray();
    out.writeInt(descriptors.length);
    out.write(descriptors);
    out.flush();
    out.write(Sha256.of(bytes.toByteArray()));
    return bytes.toByteArray();
  }

  /** The entry these bytes hold; an IOException saying what is wrong with them otherwise. */
  static CachedSchemaEntry decode(byte[] bytes) throws IOException {
    if (bytes.length < MAGIC.length + Integer.BYTES + CHECKSUM_LENGTH
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("not a schema cache entry");
    }
    int end = bytes.length - CHECKSUM_LENGTH;
    byte[] content = Arrays.copyOf(bytes, end);
    if (!Arrays.equals(Sha256.of(content), Arrays.copyOfRange(bytes, end, bytes.length))) {
      throw new IOException("checksum mismatch (truncated or damaged)");
    }
    var in = new DataInputStream(new ByteArrayInputStream(content, MAGIC.length, end - MAGIC.length));
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("format version " + version + ", this bridge reads " + VERSION);
    }
    String key = in.readUTF();
    int count = in.readInt();
    if (count < 0 || count > MAX_FILES) {
      throw new IOException("implausible file count " + count);
    }
    List<CachedSchemaEntry.CachedFile> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      files.add(new CachedSchemaEntry.CachedFile(new FileOrigin(in.readUTF(), in.readUTF()), in.readUTF()));
    }
    int length = in.readInt();
    if (length != in.available()) {
      throw new IOException("descriptor set of " + length + " bytes, but " + in.available() + " remain");
    }
    FileDescriptorSet descriptors = FileDescriptorSet.parseFrom(in.readNBytes(length));
    if (descriptors.getFileCount() != count) {
      throw new IOException(count + " files but " + descriptors.getFileCount() + " descriptors");
    }
    return new CachedSchemaEntry(key, files, descriptors);
  }
}
