package dev.bridge.typings;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TypeScript name of every declaration, fixed before any is written: a namespace per package
 * ({@code proto}, {@code google.type}); per message an interface as received ({@code GetRequest}), one
 * as returned ({@code GetRequestInit}) and, for its nested types, a namespace of its name; per enum a
 * type alias; per service an interface of its handlers and one of its client ({@code KVClient}); and the module's helper types at the root. Proto names win:
 * a name already taken in its namespace gets underscores appended, and so does a helper type that a
 * package-less proto type's name takes.
 */
final class DeclaredNames {
  static final String INIT_SUFFIX = "Init";
  /** A service's client, as {@code broker.dial} resolves to it: {@code KVClient}. */
  static final String CLIENT_SUFFIX = "Client";

  private final TsScope root = TsScope.root();
  private final Map<Descriptor, TsName> received = new HashMap<>();
  private final Map<Descriptor, TsName> returned = new HashMap<>();
  private final Map<Descriptor, String> namespaceNames = new HashMap<>();
  private final Map<EnumDescriptor, TsName> enums = new HashMap<>();
  private final Map<ServiceDescriptor, TsName> services = new HashMap<>();
  private final Map<ServiceDescriptor, TsName> clients = new HashMap<>();
  private final Map<String, TsName> helpers = new LinkedHashMap<>();
  private final EmittedTypes emitted;

  private DeclaredNames(EmittedTypes emitted) {
    this.emitted = emitted;
  }

  static DeclaredNames of(EmittedTypes emitted, List<ServiceDescriptor> services, List<String> helperNames) {
    var names = new DeclaredNames(emitted);
    emitted.messages().forEach(names::messageName);
    for (EnumDescriptor type : emitted.enums()) {
      TsScope scope = names.scopeOf(type.getFile(), type.getContainingType());
      names.enums.put(type, new TsName(scope, scope.declareType(TsIdentifiers.of(type.getName()))));
    }
    for (ServiceDescriptor service : services) {
      TsScope scope = names.packageScope(service.getFile());
      names.services.put(service, new TsName(scope, scope.declareType(TsIdentifiers.of(service.getName()))));
    }
    for (ServiceDescriptor service : services) {
      TsScope scope = names.packageScope(service.getFile());
      names.clients.put(service, new TsName(scope, scope.declareType(TsIdentifiers.of(service.getName()) + CLIENT_SUFFIX)));
    }
    for (Descriptor type : emitted.messages()) {
      TsName receivedName = names.received.get(type);
      String init = receivedName.scope().declareType(receivedName.name() + INIT_SUFFIX);
      names.returned.put(type, new TsName(receivedName.scope(), init));
    }
    for (String helper : helperNames) {
      names.helpers.put(helper, new TsName(names.root, names.root.declareType(helper)));
    }
    return names;
  }

  TsScope root() {
    return root;
  }

  /** The interface of a message as a handler receives it. */
  TsName received(Descriptor type) {
    return require(received.get(type), type.getFullName());
  }

  /** The interface of a message as a handler may return it. */
  TsName returned(Descriptor type) {
    return require(returned.get(type), type.getFullName());
  }

  TsName enumType(EnumDescriptor type) {
    return require(enums.get(type), type.getFullName());
  }

  TsName service(ServiceDescriptor service) {
    return require(services.get(service), service.getFullName());
  }

  /** The interface of a client of the service ({@code broker.dial}). */
  TsName client(ServiceDescriptor service) {
    return require(clients.get(service), service.getFullName());
  }

  TsName helper(String name) {
    return require(helpers.get(name), name);
  }

  boolean isHelper(String name) {
    return helpers.containsKey(name);
  }

  /** The namespace that holds the declarations of a file's top-level types, or of a message's nested types. */
  TsScope scopeOf(FileDescriptor file, Descriptor containingType) {
    if (containingType == null) {
      return packageScope(file);
    }
    return scopeOf(file, containingType.getContainingType()).namespace(messageName(containingType));
  }

  private TsScope packageScope(FileDescriptor file) {
    TsScope scope = root;
    if (!file.getPackage().isEmpty()) {
      for (String segment : file.getPackage().split("\\.")) {
        scope = scope.namespace(TsIdentifiers.of(segment));
      }
    }
    return scope;
  }

  /**
   * A message's name, declared as a type if the message is declared; a message that only holds
   * declared nested types is only a namespace.
   */
  private String messageName(Descriptor type) {
    String known = namespaceNames.get(type);
    if (known != null) {
      return known;
    }
    String name;
    if (emitted.messages().contains(type)) {
      TsScope scope = scopeOf(type.getFile(), type.getContainingType());
      name = scope.declareType(TsIdentifiers.of(type.getName()));
      received.put(type, new TsName(scope, name));
    } else {
      name = TsIdentifiers.of(type.getName());
    }
    namespaceNames.put(type, name);
    return name;
  }

  private static TsName require(TsName name, String what) {
    if (name == null) {
      throw new IllegalStateException("no TypeScript declaration for " + what);
    }
    return name;
  }
}
