package dev.bridge.script;

import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * The function serving a method, called as the script would: a flat export as {@code Get(request, context)}, a
 * function of a service object as {@code Inventory.Get(request, context)}, so that {@code this} is the object.
 * The object's property is read at each call, as {@code Inventory.Get(...)} in JavaScript would read it.
 */
record ExportedHandler(Value receiver, String name, Value function) {
  /** On the JS thread: the target among the module's exports (by export name). */
  static ExportedHandler of(Map<String, Value> exports, HandlerRule.Target target) {
    if (target.object().isPresent()) {
      return new ExportedHandler(exports.get(target.object().get()), target.function(), null);
    }
    return new ExportedHandler(null, target.function(), exports.get(target.function()));
  }

  Value execute(Object... arguments) {
    return receiver == null ? function.execute(arguments) : receiver.invokeMember(name, arguments);
  }
}
