package dev.bridge.scaffold;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.script.HandlerRule;
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
        if (method.isClientStreaming() || method.isServerStreaming()) {
          out.append("// ").append(method.getName()).append(": a streaming method, which the bridge does not serve yet.\n");
        } else {
          handler(out, serviceType, method.getName());
        }
      }
    }
    return out.toString();
  }

  /** One service's handlers as an object; any method name is a valid key, reserved words too. */
  private static void serviceObject(StringBuilder out, ServiceDescriptor service, String object, String serviceType) {
    out.append('\n').append("/** @type {").append(serviceType).append("} */\n");
    out.append("export const ").append(object).append(" = {\n");
    for (MethodDescriptor method : service.getMethods()) {
      if (method.isClientStreaming() || method.isServerStreaming()) {
        out.append("  // ").append(method.getName()).append(": a streaming method, which the bridge does not serve yet.\n");
        continue;
      }
      out.append("  ").append(method.getName()).append("(request, context) {\n");
      out.append("    throw new RpcError(\"UNIMPLEMENTED\", \"").append(object).append('.').append(method.getName())
          .append(" is not written yet\");\n");
      out.append("  },\n");
    }
    out.append("};\n");
  }

  private static void handler(StringBuilder out, String serviceType, String method) {
    // a method may be named like a reserved word: then the function is exported under that name
    boolean reserved = JS_RESERVED.contains(method);
    String function = reserved ? method + "_" : method;
    out.append("/** @type {").append(serviceType).append("[\"").append(method).append("\"]} */\n");
    out.append(reserved ? "" : "export ").append("function ").append(function).append("(request, context) {\n");
    out.append("  throw new RpcError(\"UNIMPLEMENTED\", \"").append(method).append(" is not written yet\");\n");
    out.append("}\n");
    if (reserved) {
      out.append("export { ").append(function).append(" as ").append(method).append(" };\n");
    }
  }
}
