package dev.bridge.script;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host functions behind the {@code fs} global, handed to the {@link Prelude} as a proxy object
 * (proxies need no host access). Arguments are checked by the prelude; failures are thrown into JS as
 * Node-like {@code Error}s with {@code code}, {@code syscall} and {@code path}.
 */
final class FsBindings {
  private final HostFs fs;
  private JsHelpers helpers;

  FsBindings(HostFs fs) {
    this.fs = fs;
  }

  void attach(JsHelpers helpers) {
    this.helpers = helpers;
  }

  ProxyObject proxy() {
    return ProxyObject.fromMap(Map.of(
        "readBytes", guarded(args -> JsBytes.toJs(helpers, fs.readFile(args[0].asString()))),
        "readText", guarded(args -> HostFs.utf8(fs.readFile(args[0].asString()))),
        "writeText", guarded(args -> {
          fs.writeFile(args[0].asString(), args[1].asString().getBytes(StandardCharsets.UTF_8));
          return null;
        }),
        "writeBytes", guarded(args -> {
          byte[] data = JsBytes.fromJs(helpers, args[1]);
          if (data == null) {
            throw new IllegalArgumentException("not bytes");
          }
          fs.writeFile(args[0].asString(), data);
          return null;
        }),
        "exists", guarded(args -> fs.exists(args[0].asString())),
        "unlink", guarded(args -> {
          fs.unlink(args[0].asString());
          return null;
        })));
  }

  private interface FsCall {
    Object apply(Value[] args) throws FsException;
  }

  private ProxyExecutable guarded(FsCall call) {
    return args -> {
      try {
        return call.apply(args);
      } catch (FsException e) {
        throw helpers.fsError(e).throwException();
      }
    };
  }
}
