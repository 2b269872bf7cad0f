package dev.bridge.script;

import java.io.InputStream;
import java.io.OutputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Builds the context a script runs in, with nothing of the host beyond what the runtime hands it: no
 * Java classes or objects (only byte buffers, used to pass bytes in bulk, and proxies, which are
 * always allowed), no threads, processes, native code, environment, other languages; file access
 * only to read the script's own modules and npm packages ({@link ModuleFileSystem}); console output to
 * the given streams; no stdin.
 */
final class SandboxedContext {
  /** Host objects are opaque to scripts, except that a {@link java.nio.ByteBuffer} reads as a buffer. */
  static final HostAccess HOST_ACCESS = HostAccess.newBuilder().allowBufferAccess(true).build();

  private SandboxedContext() {}

  static Context create(JsEngine engine, ModuleFileSystem modules, OutputStream out, OutputStream err) {
    return Context.newBuilder("js")
        .engine(engine.engine())
        .allowHostAccess(HOST_ACCESS)
        .allowHostClassLookup(className -> false)
        .allowHostClassLoading(false)
        .allowNativeAccess(false)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowInnerContextOptions(false)
        .allowExperimentalOptions(false)
        .allowIO(IOAccess.newBuilder().fileSystem(modules).build())
        .in(InputStream.nullInputStream())
        .out(out)
        .err(err)
        .option("js.esm-eval-returns-exports", "true")
        .option("js.text-encoding", "true")
        .option("js.console", "true")
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.graal-builtin", "false")
        // js.polyglot-builtin and js.java-package-globals are experimental options: those globals are
        // inert here (no polyglot access, no host classes) and the prelude deletes them.
        .build();
  }
}
