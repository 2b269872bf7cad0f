package dev.bridge.script;

import java.util.Set;

/** Node's built-in modules, which scripts do not have: importing or requiring one is refused naming what exists. */
final class NodeBuiltins {
  private static final Set<String> NAMES = Set.of("assert", "assert/strict", "async_hooks", "buffer", "child_process",
      "cluster", "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns", "dns/promises", "domain",
      "events", "fs", "fs/promises", "http", "http2", "https", "inspector", "module", "net", "os", "path",
      "path/posix", "path/win32", "perf_hooks", "process", "punycode", "querystring", "readline", "repl", "stream",
      "stream/promises", "stream/web", "string_decoder", "sys", "timers", "timers/promises", "tls", "trace_events",
      "tty", "url", "util", "util/types", "v8", "vm", "wasi", "worker_threads", "zlib");

  private NodeBuiltins() {}

  /** {@code fs}, {@code node:fs}, {@code node:anything}: a specifier that means a Node built-in. */
  static boolean isBuiltin(String specifier) {
    return specifier.startsWith("node:") || NAMES.contains(specifier);
  }

  static String refusal(String specifier, String referrer) {
    String name = specifier.startsWith("node:") ? specifier : "node:" + specifier;
    return "Node built-in module " + name + " is not available (imported by " + referrer + "); scripts have the "
        + "globals fs (the files directory), process, Buffer, crypto, fetch, console, timers, URL, "
        + "TextEncoder/TextDecoder and bridge instead";
  }
}
