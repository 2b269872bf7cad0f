package dev.bridge.typings;

import java.util.List;

/** A declared type: its namespace and its name there. */
record TsName(TsScope scope, String name) {
  /** The path from the module's root: {@code [proto, GetRequest]}. */
  List<String> path() {
    List<String> path = scope.path();
    path.add(name);
    return path;
  }

  /** How code in {@code from} names it. */
  String from(TsScope from) {
    return from.reference(path());
  }
}
