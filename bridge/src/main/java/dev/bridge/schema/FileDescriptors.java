package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Links file descriptor protos into descriptors, each after the files it imports. */
final class FileDescriptors {
  private FileDescriptors() {}

  /**
   * @param protos every file needed, imports included, in any order
   * @param wanted the names of the files whose descriptors are returned, in that order
   */
  static List<FileDescriptor> link(List<FileDescriptorProto> protos, List<String> wanted, String source)
      throws SchemaLoadException {
    Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
    for (FileDescriptorProto proto : protos) {
      byName.put(proto.getName(), proto);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    List<FileDescriptor> result = new ArrayList<>();
    for (String name : wanted) {
      result.add(build(name, byName, built, new ArrayList<>(), source));
    }
    return result;
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> byName,
      Map<String, FileDescriptor> built, List<String> importChain, String source) throws SchemaLoadException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    if (importChain.contains(name)) {
      throw new SchemaLoadException(source + ": import cycle: " + String.join(" -> ", importChain) + " -> " + name);
    }
    FileDescriptorProto proto = byName.get(name);
    if (proto == null) {
      String importer = importChain.isEmpty() ? source : importChain.getLast();
      throw new SchemaLoadException(importer + ": imported file " + name + " is missing");
    }
    importChain.add(name);
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      dependencies.add(build(dependency, byName, built, importChain, source));
    }
    importChain.removeLast();
    try {
      FileDescriptor descriptor = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
      built.put(name, descriptor);
      return descriptor;
    } catch (DescriptorValidationException e) {
      throw new SchemaLoadException(name + ": " + e.getMessage(), e);
    }
  }
}
