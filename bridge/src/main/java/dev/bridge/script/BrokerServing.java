package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.rpc.Handlers;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Value;

/**
 * The handlers of an object a script serves through {@code broker.serve(service, object)}: each method served by the
 * object's function of its name, called as {@code object.Method(request, context)}, of any call shape, exactly as
 * the functions of an exported service object are ({@link ScriptHandlers}). A function matching no method is refused,
 * as a misspelt handler of an exported object is ({@link HandlerRule}).
 */
final class BrokerServing {
  private BrokerServing() {}

  /**
   * On the JS thread: the handlers for {@code object}.
   *
   * @throws IllegalArgumentException naming what is wrong with the object
   */
  static Handlers handlers(ScriptRuntime runtime, ServiceDescriptor service, Value object) {
    String call = "broker.serve(\"" + service.getFullName() + "\", handlers)";
    Set<String> methods = service.getMethods().stream().map(MethodDescriptor::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> functions = object == null ? Set.of() : ScriptRuntime.functionsHeld(object);
    if (functions.isEmpty()) {
      throw new IllegalArgumentException(call + ": the handlers must be an object holding a function per method ("
          + String.join(", ", methods) + "), such as { " + HandlerRule.written(service.getMethods().getFirst())
          + " { ... } }, got " + (object == null ? "undefined" : runtime.helpers().describe(object)));
    }
    Set<String> misspelt = new TreeSet<>(functions);
    misspelt.removeAll(methods);
    if (!misspelt.isEmpty()) {
      throw new IllegalArgumentException(call + ": the handlers' " + String.join(", ", misspelt)
          + (misspelt.size() == 1 ? " matches" : " match") + " no method of " + service.getFullName()
          + " (its methods: " + String.join(", ", methods) + "); rename it or remove it");
    }
    Set<String> held = Set.copyOf(functions);
    return new ScriptHandlers(runtime,
        method -> held.contains(method.getName()) ? Optional.of(ExportedHandler.Source.held(object, method.getName()))
            : Optional.empty(),
        method -> "the handlers the script served through " + call + " have no function " + method.getName()
            + " for " + HandlerResults.displayName(method) + " (add to them: " + HandlerRule.written(method)
            + " { ... })");
  }
}
