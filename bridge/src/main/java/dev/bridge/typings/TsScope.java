package dev.bridge.typings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A namespace of the declaration file, or the module itself at the root, and the names declared in
 * it: enough to write references that TypeScript resolves to the intended declaration although proto
 * names shadow others (a message {@code Date} in a package hides the global {@code Date} there; a nested
 * {@code Item} hides the package's {@code Item} inside its message).
 *
 * <p>Every name must be declared before the first reference is written.
 */
final class TsScope {
  private final TsScope parent;
  private final String name;
  private final Map<String, TsScope> namespaces = new LinkedHashMap<>();
  private final Set<String> types = new HashSet<>();
  /** At the root: aliases for references no shorter path can make, by alias name. */
  private final Map<String, String> aliases;

  private TsScope(TsScope parent, String name) {
    this.parent = parent;
    this.name = name;
    this.aliases = parent == null ? new LinkedHashMap<>() : null;
  }

  static TsScope root() {
    return new TsScope(null, null);
  }

  /** The child namespace of this name; a namespace may share its name with a type (they merge). */
  TsScope namespace(String childName) {
    return namespaces.computeIfAbsent(childName, n -> new TsScope(this, n));
  }

  /**
   * Declares an interface or type alias, under {@code wanted} or, if another type has that name here,
   * the first free name with underscores appended; returns the name declared.
   */
  String declareType(String wanted) {
    String declared = wanted;
    while (types.contains(declared)) {
      declared += "_";
    }
    types.add(declared);
    return declared;
  }

  /** The path of this namespace from the root: {@code [a, b]} for {@code a.b}, empty at the root. */
  List<String> path() {
    List<String> path = parent == null ? new ArrayList<>() : parent.path();
    if (name != null) {
      path.add(name);
    }
    return path;
  }

  boolean isRoot() {
    return parent == null;
  }

  /**
   * How code in this scope names the declaration at {@code target} (its path from the root): the
   * shortest qualified name that resolves to it, else an alias declared at the root.
   */
  String reference(List<String> target) {
    for (int i = target.size() - 1; i >= 0; i--) {
      TsScope found = lookup(target.get(i));
      if (found != null && found.path().equals(target.subList(0, i))) {
        return String.join(".", target.subList(i, target.size()));
      }
    }
    TsScope root = this;
    while (root.parent != null) {
      root = root.parent;
    }
    // Proto names never contain '$', so these aliases cannot collide with or be shadowed by them.
    String alias = "$" + String.join("$", target);
    root.aliases.put(alias, String.join(".", target));
    return alias;
  }

  /** How code in this scope names a global: the standard library's or the runtime's. */
  String global(String globalName) {
    return lookup(globalName) == null ? globalName : "globalThis." + globalName;
  }

  /** At the root: the aliases {@link #reference} had to declare, alias name to target. */
  Map<String, String> aliases() {
    return Collections.unmodifiableMap(aliases);
  }

  /** The innermost scope, from this one outwards, that declares the name (as a type or namespace). */
  private TsScope lookup(String wanted) {
    for (TsScope scope = this; scope != null; scope = scope.parent) {
      if (scope.types.contains(wanted) || scope.namespaces.containsKey(wanted)) {
        return scope;
      }
    }
    return null;
  }
}
