package dev.bridge.script;

/** One engine for all the tests of a JVM, as in the plugin (engines are costly to create). */
final class SharedEngine {
  static final JsEngine ENGINE = JsEngine.create();

  private SharedEngine() {}
}
