package dev.bridge.script;

import dev.bridge.cache.WritableCaches;
import org.graalvm.polyglot.Engine;

/**
 * The GraalJS engine shared by every script context of the process (one per loaded script version), so
 * that parsed and compiled code is shared when a script is reloaded. Close it after every runtime
 * loaded with it is closed.
 */
public final class JsEngine implements AutoCloseable {
  private final Engine engine;

  private JsEngine(Engine engine) {
    this.engine = engine;
  }

  public static JsEngine create() {
    // Before Truffle starts: its resource cache must be somewhere this user may write (see WritableCaches).
    WritableCaches.current();
    Engine engine = Engine.newBuilder("js")
        .option("engine.WarnInterpreterOnly", "false")
        .out(java.io.OutputStream.nullOutputStream())
        // The engine's own log output must never reach the process stdout (the go-plugin handshake).
        .logHandler(new java.util.logging.Handler() {
          private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.bridge.script.engine");

          @Override
          public void publish(java.util.logging.LogRecord record) {
            logger.log(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        })
        .build();
    return new JsEngine(engine);
  }

  Engine engine() {
    return engine;
  }

  /** Closes the engine; contexts still open then (a replaced version still draining at exit) are cancelled. */
  @Override
  public void close() {
    try {
      engine.close();
    } catch (IllegalStateException e) {
      engine.close(true);
    }
  }
}
