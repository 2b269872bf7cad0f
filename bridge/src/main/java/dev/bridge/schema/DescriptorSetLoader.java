package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a compiled descriptor set, as written by {@code protoc --include_imports --descriptor_set_out}
 * or {@code buf build -o}: for people who already compile their protos, and start-up without parsing.
 */
public final class DescriptorSetLoader {
  public ProtoSchema load(Path descriptorSet) throws SchemaLoadException {
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(Files.readAllBytes(descriptorSet));
    } catch (NoSuchFileException e) {
      throw new SchemaLoadException(descriptorSet + ": no such descriptor set file");
    } catch (InvalidProtocolBufferException e) {
      throw new SchemaLoadException(descriptorSet + ": not a FileDescriptorSet: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new SchemaLoadException(descriptorSet + ": cannot read: " + e.getMessage(), e);
    }
    List<FileDescriptorProto> files = set.getFileList();
    if (files.isEmpty()) {
      throw new SchemaLoadException(descriptorSet + ": the descriptor set holds no file");
    }
    // Every file may hold services to serve; imports that define none simply add nothing.
    List<String> names = files.stream().map(FileDescriptorProto::getName).toList();
    return new ProtoSchema(FileDescriptors.link(files, names, descriptorSet.toString()), descriptorSet.toString(),
        List.of(descriptorSet.toAbsolutePath().normalize()));
  }
}
