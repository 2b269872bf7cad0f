package dev.bridge.script;

import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * The function serving a method, called as the script would: a flat export as {@code Get(request, context)}, a
 * function of a service object as {@code Inventory.Get(request, context)}, so that {@code this} is the object.
 * The object's property is read at each call, as {@code Inventory.Get(...)} in JavaScript would read it.
 */
record ExportedHandler(Value receiver, String name, Value function) {
  /**
   * Where a method's function is found at each call: among the module's exports ({@link HandlerRule}), or in an
   * object the script served through {@code broker.serve} ({@link BrokerServing}).
   */
  @FunctionalInterface
  interface Source {
    /** On any thread; touches no JavaScript value. */
    ExportedHandler in(Map<String, Value> exports);

    static Source exported(HandlerRule.Target target) {
      return exports -> of(exports, target);
    }

    /** The function {@code name} of {@code object}, called as {@code object.name(...)}. */
    static Source held(Value object, String name) {
      ExportedHandler handler = new ExportedHandler(object, name, null);
      return exports -> handler;
    }
  }

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
