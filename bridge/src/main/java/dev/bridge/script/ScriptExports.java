package dev.bridge.script;

import java.util.Map;
import java.util.Set;

/**
 * What a script's module exports that could serve methods, without any JavaScript value: the names of its
 * exported functions ({@code export function Get}) and, for each exported object holding functions
 * ({@code export const Inventory = { Get() {...} }}), the names of its function-valued own properties.
 * Other exports (constants, data objects) are not listed. {@link HandlerRule} decides from this alone.
 *
 * @param functions the exported functions' names
 * @param objects each exported object holding at least one function, by export name, to its functions' names
 */
public record ScriptExports(Set<String> functions, Map<String, Set<String>> objects) {
  public ScriptExports {
    functions = Set.copyOf(functions);
    objects = Map.copyOf(objects);
  }

  /** Only flat functions, as scripts wrote them before service objects. */
  public static ScriptExports functions(Set<String> functions) {
    return new ScriptExports(functions, Map.of());
  }
}
