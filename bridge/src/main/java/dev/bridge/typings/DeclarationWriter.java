package dev.bridge.typings;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the declaration file: the header, per file a namespace of its package with its enums,
 * messages (two interfaces each, nested types in a namespace of the message's name) and services, then
 * the helper types, the runtime's globals and any aliases that shadowed references needed.
 */
final class DeclarationWriter {
  private final DeclaredNames names;
  private final TsTypes types;
  private final EmittedTypes emitted;
  private final HandlerTypes handlers;
  private final TsWriter out = new TsWriter();

  DeclarationWriter(DeclaredNames names, EmittedTypes emitted) {
    this.names = names;
    this.types = new TsTypes(names);
    this.emitted = emitted;
    this.handlers = new HandlerTypes(names, types);
  }

  String write(List<String> header, List<FileDescriptor> givenFiles, List<ServiceDescriptor> services) {
    header.forEach(line -> out.line(line.isEmpty() ? "//" : "// " + line));
    for (FileDescriptor file : filesInOrder(givenFiles, services)) {
      writeFile(file, services.stream().filter(s -> s.getFile() == file).toList());
    }
    out.blank().block(RuntimeDeclarations.helpers(names));
    out.blank().block(RuntimeDeclarations.globals(names));
    writeBrokerOverloads(services);
    Map<String, String> aliases = names.root().aliases();
    if (!aliases.isEmpty()) {
      out.blank().line("// Names that proto types shadow where they are used.");
      aliases.forEach((alias, target) -> out.line("export type " + alias + " = " + target + ";"));
    }
    return out.toString();
  }

  /** The given files, then the files of the other types and services declared. */
  private Set<FileDescriptor> filesInOrder(List<FileDescriptor> givenFiles, List<ServiceDescriptor> services) {
    Set<FileDescriptor> files = new LinkedHashSet<>(givenFiles);
    emitted.messages().forEach(type -> files.add(type.getFile()));
    emitted.enums().forEach(type -> files.add(type.getFile()));
    services.forEach(service -> files.add(service.getFile()));
    return files;
  }

  private void writeFile(FileDescriptor file, List<ServiceDescriptor> services) {
    List<EnumDescriptor> enums = file.getEnumTypes().stream().filter(emitted.enums()::contains).toList();
    List<Descriptor> messages = file.getMessageTypes().stream().filter(this::holdsDeclarations).toList();
    if (enums.isEmpty() && messages.isEmpty() && services.isEmpty()) {
      return;
    }
    TsScope scope = names.scopeOf(file, null);
    out.blank();
    boolean namespaced = !scope.isRoot();
    if (namespaced) {
      out.open("export namespace " + String.join(".", scope.path()));
    }
    String export = namespaced ? "" : "export ";
    enums.forEach(type -> writeEnum(type, export));
    messages.forEach(type -> writeMessage(type, export));
    services.forEach(service -> writeService(service, scope, export));
    if (namespaced) {
      out.close();
    }
  }

  private void writeEnum(EnumDescriptor type, String export) {
    TsName name = names.enumType(type);
    out.blank().doc("Enum `" + type.getFullName() + "`: its values' names.");
    out.line(export + "type " + name.name() + " = " + TsTypes.receivedEnumNames(type) + ";");
  }

  private void writeMessage(Descriptor type, String export) {
    if (emitted.messages().contains(type)) {
      writeReceived(type, export);
      writeReturned(type, export);
    }
    List<EnumDescriptor> nestedEnums = type.getEnumTypes().stream().filter(emitted.enums()::contains).toList();
    List<Descriptor> nestedMessages = type.getNestedTypes().stream().filter(this::holdsDeclarations).toList();
    if (nestedEnums.isEmpty() && nestedMessages.isEmpty()) {
      return;
    }
    TsScope nested = names.scopeOf(type.getFile(), type);
    out.blank().open(export + "namespace " + nested.path().getLast());
    nestedEnums.forEach(nestedEnum -> writeEnum(nestedEnum, ""));
    nestedMessages.forEach(nestedMessage -> writeMessage(nestedMessage, ""));
    out.close();
  }

  private void writeReceived(Descriptor type, String export) {
    TsName name = names.received(type);
    out.blank().doc("`" + type.getFullName() + "` as a handler receives it.");
    if (type.getFields().isEmpty()) {
      out.line(export + "interface " + name.name() + " {}");
      return;
    }
    out.open(export + "interface " + name.name());
    for (FieldDescriptor field : type.getFields()) {
      out.doc("`" + ProtoSyntax.field(field) + "`");
      out.line(field.getName() + (TsTypes.receivedOptional(field) ? "?" : "") + ": "
          + types.received(field, name.scope()) + ";");
    }
    out.close();
  }

  private void writeReturned(Descriptor type, String export) {
    TsName name = names.returned(type);
    out.blank().doc("`" + type.getFullName() + "` as a handler may return it.");
    if (type.getFields().isEmpty()) {
      // an empty interface would accept any value but null; the runtime wants an object (or nothing)
      out.open(export + "interface " + name.name());
      out.line("readonly [key: string]: never;");
      out.close();
      return;
    }
    out.open(export + "interface " + name.name());
    for (FieldDescriptor field : type.getFields()) {
      String fieldType = types.returned(field, name.scope());
      boolean byJsonName = !field.getJsonName().equals(field.getName());
      // a required field must be there, but under either name: only TypeScript unions could say so
      String optional = field.isRequired() && !byJsonName ? "" : "?";
      out.doc("`" + ProtoSyntax.field(field) + "`");
      out.line(field.getName() + optional + ": " + fieldType + ";");
      if (byJsonName) {
        out.doc("`" + ProtoSyntax.field(field) + "`, by its JSON name");
        out.line(field.getJsonName() + optional + ": " + fieldType + ";");
      }
    }
    out.close();
  }

  private void writeService(ServiceDescriptor service, TsScope scope, String export) {
    TsName name = names.service(service);
    // the object's name depends on the services served together, which the declarations do not know: the simple one
    out.blank().doc("Service `" + service.getFullName() + "`: the script exports a function named after each method,"
        + " or an object `" + service.getName() + "` holding them (typed `@type {" + String.join(".", name.path())
        + "}`); a method name another service shares needs the object.");
    out.open(export + "interface " + name.name());
    for (MethodDescriptor method : service.getMethods()) {
      out.doc("`" + ProtoSyntax.method(method) + "`");
      out.line(method.getName() + ": " + handlers.of(method, scope) + ";");
    }
    out.close();
    writeClient(service, export);
  }

  private void writeClient(ServiceDescriptor service, String export) {
    TsName name = names.client(service);
    out.blank().doc("A client of `" + service.getFullName() + "`, as `await broker.dial(id, \"" + service.getFullName()
        + "\")` resolves to it: a method per RPC, each with optional call options last.");
    if (service.getMethods().isEmpty()) {
      out.line(export + "interface " + name.name() + " {}");
      return;
    }
    out.open(export + "interface " + name.name());
    for (MethodDescriptor method : service.getMethods()) {
      out.doc("`" + ProtoSyntax.method(method) + "`");
      out.line(method.getName() + ": " + handlers.client(method, name.scope()) + ";");
    }
    out.close();
  }

  /**
   * {@code broker.dial} and {@code broker.serve} typed by service name: overloads merged into the global
   * {@code PluginBroker}, so that several declaration files checked together add theirs.
   */
  private void writeBrokerOverloads(List<ServiceDescriptor> services) {
    if (services.isEmpty()) {
      return;
    }
    TsScope root = names.root();
    out.blank().open("declare global");
    out.open("interface PluginBroker");
    for (ServiceDescriptor service : services) {
      String quoted = "\"" + service.getFullName() + "\"";
      out.doc("A client of `" + service.getFullName() + "` the host offers under `id`.");
      out.line("dial(id: number | bigint, service: " + quoted + "): " + root.global("Promise") + "<"
          + names.client(service).from(root) + ">;");
      out.doc("Serves `" + service.getFullName() + "` to the host; resolves to the id to hand it (in a response).");
      out.line("serve(service: " + quoted + ", handlers: " + root.global("Partial") + "<"
          + names.service(service).from(root) + ">): " + root.global("Promise") + "<number>;");
    }
    out.close();
    out.close();
  }

  /** Whether a message gets declarations: its own, or those of nested types. */
  private boolean holdsDeclarations(Descriptor type) {
    return emitted.messages().contains(type)
        || type.getEnumTypes().stream().anyMatch(emitted.enums()::contains)
        || type.getNestedTypes().stream().anyMatch(this::holdsDeclarations);
  }
}
