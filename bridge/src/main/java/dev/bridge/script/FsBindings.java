package dev.bridge.script;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
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
    return ProxyObject.fromMap(Map.ofEntries(
        Map.entry("appendText", guarded(args -> {
          fs.appendFile(args[0].asString(), args[1].asString().getBytes(StandardCharsets.UTF_8));
          return null;
        })),
        Map.entry("appendBytes", guarded(args -> {
          byte[] data = JsBytes.fromJs(helpers, args[1]);
          if (data == null) {
            throw new IllegalArgumentException("not bytes");
          }
          fs.appendFile(args[0].asString(), data);
          return null;
        })),
        Map.entry("readdir", guarded(args -> ProxyArray.fromList(new java.util.ArrayList<>(fs.readdir(args[0].asString()))))),
        Map.entry("mkdir", guarded(args -> {
          fs.mkdir(args[0].asString(), args[1].asBoolean());
          return null;
        })),
        Map.entry("stat", guarded(args -> ProxyObject.fromMap(new java.util.HashMap<>(fs.stat(args[0].asString()))))),
        Map.entry("rename", guarded(args -> {
          fs.rename(args[0].asString(), args[1].asString());
          return null;
        })),
        Map.entry("rm", guarded(args -> {
          fs.rm(args[0].asString(), args[1].asBoolean(), args[2].asBoolean());
          return null;
        })),
        Map.entry("readBytes", guarded(args -> JsBytes.toJs(helpers, fs.readFile(args[0].asString())))),
        Map.entry("readText", guarded(args -> HostFs.utf8(fs.readFile(args[0].asString())))),
        Map.entry("writeText", guarded(args -> {
          fs.writeFile(args[0].asString(), args[1].asString().getBytes(StandardCharsets.UTF_8));
          return null;
        })),
        Map.entry("writeBytes", guarded(args -> {
          byte[] data = JsBytes.fromJs(helpers, args[1]);
          if (data == null) {
            throw new IllegalArgumentException("not bytes");
          }
          fs.writeFile(args[0].asString(), data);
          return null;
        })),
        Map.entry("exists", guarded(args -> fs.exists(args[0].asString()))),
        Map.entry("unlink", guarded(args -> {
          fs.unlink(args[0].asString());
          return null;
        }))));
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
