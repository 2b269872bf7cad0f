package dev.bridge.scaffold;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.script.HandlerRule;
import dev.bridge.typings.HandlerForm;
import dev.bridge.typings.Typings.Declarations;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A new plugin's script: per method a handler that fails with {@code UNIMPLEMENTED}, each typed by the
 * generated declarations, so the plugin serves (and type-checks) before any handler is written. When two services
 * share a method name, which flat functions cannot serve ({@link HandlerRule}), every service's handlers are written
 * as an exported object named after it; otherwise as flat functions, the shortest script.
 */
final class StarterScript {
  private static final Set<String> JS_RESERVED = Set.of(
      "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
      "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
      "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
      "while", "with", "implements", "interface", "let", "package", "private", "protected", "public", "static",
      "yield", "await", "arguments", "eval");

  private StarterScript() {}

  /**
   * @param declarationModule how the script imports its declaration file: {@code ./greeter}
   * @param protoNames the .proto files, for the opening comment
   */
  static String text(List<ServiceDescriptor> services, Declarations declarations, String declarationModule,
      String protoNames) {
    var out = new StringBuilder();
    String name = declarationModule.substring(2);
    out.append("// @ts-check\n");
    boolean objects = HandlerRule.sharesMethodNames(services);
    out.append("// The handlers of ").append(String.join(", ", services.stream().map(ServiceDescriptor::getFullName).toList()))
        .append(" (").append(protoNames).append(objects
            ? "): each exported object holds its service's handlers, each serving the method of its name\n"
              + "// (services share method names, so each has its own object),\n"
            : "): each exported function serves the method of its name,\n");
    out.append("// and answers UNIMPLEMENTED until it is written. The types are in ").append(name).append(".d.ts, which editors\n");
    out.append("// use to complete and check this file; `bridgejs types ").append(name)
        .append(".js` writes it again when the .proto changes.\n");
    Set<String> imports = new LinkedHashSet<>();
    services.forEach(service -> imports.add(declarations.importName(service.getFullName())));
    out.append("/** @import { ").append(String.join(", ", imports)).append(" } from \"").append(declarationModule)
        .append("\" */\n");
    if (objects) {
      services.forEach(service -> serviceObject(out, service, HandlerRule.objectName(service, services),
          declarations.serviceTypes().get(service.getFullName())));
      return out.toString();
    }
    for (ServiceDescriptor service : services) {
      String serviceType = declarations.serviceTypes().get(service.getFullName());
      for (MethodDescriptor method : service.getMethods()) {
        out.append('\n');
        handler(out, serviceType, method);
      }
    }
    return out.toString();
  }

  /** One service's handlers as an object; any method name is a valid key, reserved words too. */
  private static void serviceObject(StringBuilder out, ServiceDescriptor service, String object, String serviceType) {
    out.append('\n').append("/** @type {").append(serviceType).append("} */\n");
    out.append("export const ").append(object).append(" = {\n");
    for (MethodDescriptor method : service.getMethods()) {
      HandlerForm form = HandlerForm.of(method);
      out.append("  ").append(form.method(method.getName())).append(" {\n");
      body(out, "    ", form, object + "." + method.getName());
      out.append("  },\n");
    }
    out.append("};\n");
  }

  private static void handler(StringBuilder out, String serviceType, MethodDescriptor method) {
    // a method may be named like a reserved word: then the function is exported under that name
    String name = method.getName();
    boolean reserved = JS_RESERVED.contains(name);
    String function = reserved ? name + "_" : name;
    HandlerForm form = HandlerForm.of(method);
    out.append("/** @type {").append(serviceType).append("[\"").append(name).append("\"]} */\n");
    out.append(reserved ? "" : "export ").append(form.function(function)).append(" {\n");
    body(out, "  ", form, name);
    out.append("}\n");
    if (reserved) {
      out.append("export { ").append(function).append(" as ").append(name).append(" };\n");
    }
  }

  /**
   * A stub's body: it fails with UNIMPLEMENTED at once, like a unary stub, so that a host never waits on a stub (a
   * bidi stub reading requests would keep a host waiting for answers); a streaming stub says in a comment how the
   * handler of its shape is written.
   */
  private static void body(StringBuilder out, String indent, HandlerForm form, String handler) {
    switch (form) {
      case UNARY -> { }
      case SERVER_STREAMING -> out.append(indent).append("// each `yield { ... };` sends one response; returning ends the stream\n");
      case CLIENT_STREAMING -> out.append(indent).append("// for await (const request of requests) { ... }  then return the one response\n");
      case BIDI_STREAMING -> out.append(indent).append("// for await (const request of requests) yield { ... };  (any number of responses, as you go)\n");
    }
    out.append(indent).append("throw new RpcError(\"UNIMPLEMENTED\", \"").append(handler).append(" is not written yet\");\n");
  }
}
