package dev.bridge.schema;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The descriptors a plugin serves from: the files it was given (not their imports, whose services are
 * never served implicitly) with every dependency resolved.
 *
 * @param files the requested files, in the order they were given
 * @param source where the descriptors came from, for messages
 * @param sourceFiles the files on disk the descriptors were read from (the proto files and those they
 *     import, or the descriptor set): what dev mode watches
 */
public record ProtoSchema(List<FileDescriptor> files, String source, List<Path> sourceFiles) {
  public ProtoSchema {
    files = List.copyOf(files);
    sourceFiles = List.copyOf(sourceFiles);
  }

  public ProtoSchema(List<FileDescriptor> files, String source) {
    this(files, source, List.of());
  }

  public List<ServiceDescriptor> services() {
    return files.stream().flatMap(file -> file.getServices().stream()).toList();
  }

  /** The services to serve: all of them when none are named, else exactly the named ones. */
  public List<ServiceDescriptor> select(List<String> serviceNames) throws SchemaLoadException {
    if (serviceNames.isEmpty()) {
      if (services().isEmpty()) {
        throw new SchemaLoadException(source + ": defines no service");
      }
      return services();
    }
    var selected = new java.util.ArrayList<ServiceDescriptor>();
    for (String name : serviceNames) {
      selected.add(service(name).orElseThrow(() -> new SchemaLoadException(
          "service " + name + " not found in " + source + " (it defines: " + serviceNamesText() + ")")));
    }
    return selected;
  }

  public Optional<ServiceDescriptor> service(String fullName) {
    return services().stream().filter(s -> s.getFullName().equals(fullName)).findFirst();
  }

  private String serviceNamesText() {
    String names = services().stream().map(ServiceDescriptor::getFullName).collect(Collectors.joining(", "));
    return names.isEmpty() ? "none" : names;
  }
}
