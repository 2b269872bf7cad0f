/**
 * The script runtime: a plugin's RPC methods implemented by JavaScript, run in-process by GraalJS.
 *
 * <h2>Embedding</h2>
 * {@link dev.bridge.script.ScriptRuntime#load(java.nio.file.Path, java.nio.file.Path, dev.bridge.script.ConsoleSink, dev.bridge.script.ScriptOptions)}
 * loads the main ES module; the runtime offers {@code handlers()} (a {@link dev.bridge.rpc.Handlers}),
 * {@code exports()} and {@code close()}; {@link dev.bridge.script.HandlerRule} says which export serves
 * which method. All JavaScript of one runtime runs on one thread;
 * calls return futures at once.
 *
 * <h2>What scripts see</h2>
 * <ul>
 *   <li>The main script is an ES module. Method {@code Get} of a service is served by
 *       {@code export function Get(request, context)} (plain or {@code async}; a returned promise is
 *       awaited). {@code request} is a plain object (see {@link dev.bridge.script.ValueMapping});
 *       {@code context} is a frozen {@code {method, metadata, deadline, signal}} with {@code metadata} a
 *       frozen object of header name to array of strings, {@code deadline} the host's deadline as a
 *       {@code Date} (or {@code null}), and {@code signal} an {@code AbortSignal}-like object
 *       ({@code aborted}, {@code reason}, {@code throwIfAborted()}, {@code addEventListener('abort', fn)},
 *       {@code onabort}) fired on the JS thread when the call ends early. The return value becomes the
 *       response; {@code undefined} is fine for a response type without fields.
 *   <li>Streaming methods ({@link dev.bridge.script.StreamingFunctionCall}): a stream of responses is an
 *       async iterable the handler returns (an {@code async *} generator), pulled while the transport is
 *       ready ({@link dev.bridge.script.ResponsePump}); a stream of requests is the handler's
 *       {@code requests}, an AsyncIterable pulled on demand ({@link dev.bridge.script.RequestIterable}).
 *   <li>Each unary call has a time limit ({@link dev.bridge.script.ScriptOptions#callTimeout()}, default 30 s,
 *       or the host's deadline when earlier): then it fails with {@code DEADLINE_EXCEEDED}, and a handler
 *       still running synchronously is interrupted ({@code Context.interrupt}, not close: module state
 *       survives and queued calls run). A stream has the host's deadline as a whole and the time limit for
 *       each turn, each run of its JavaScript between waits. The host cancelling the call ends it with
 *       {@code CANCELLED}.
 *   <li>Relative {@code import}s of {@code .js}/{@code .mjs}/{@code .cjs}/{@code .json} files under the
 *       script's directory, and npm packages from {@code node_modules} there ({@link
 *       dev.bridge.script.PackageResolver}, CommonJS through {@link dev.bridge.script.CommonJsModules});
 *       nothing else can be imported (no Node built-ins, no files elsewhere). Top-level {@code await}
 *       works.
 *   <li>{@code RpcError}: {@code throw new RpcError('NOT_FOUND', 'no such key')} fails the call with
 *       that status; the code is a gRPC status name (any case) or number 1..16. Any thrown object with
 *       such a {@code code} works the same; anything else thrown is {@code UNKNOWN} (and logged with its
 *       stack to {@code java.util.logging} logger {@code dev.bridge.script}).
 *   <li>{@code fs}, a frozen Node-like subset confined to the files root given by the embedder:
 *       {@code readFileSync(path[, 'utf8' | {encoding}])} (a {@code Uint8Array}, or a string with
 *       utf8/utf-8), {@code writeFileSync(path, data)} (string as UTF-8, or any
 *       {@code ArrayBuffer}/typed array/{@code DataView}), {@code existsSync(path)},
 *       {@code unlinkSync(path)}. Paths are relative to the files root; leaving it (by {@code ..}, an
 *       absolute path, or a symbolic link) throws an {@code EACCES} error naming the path. Failures
 *       throw Node-like errors with {@code code} ({@code ENOENT}, {@code EISDIR}, ...),
 *       {@code syscall} and {@code path}.
 *   <li>Node's timers ({@link dev.bridge.script.TimersPrelude}): {@code setTimeout}, {@code setInterval},
 *       {@code setImmediate}, their {@code clear*} functions, {@code queueMicrotask}. Callbacks run on
 *       the JS thread as tasks of their own, each watched like a handler (interrupted past the call
 *       timeout); what they throw is logged. {@code close()} cancels pending timers. Installed on the
 *       script's first use of one of them, like the console's formatting: most scripts use neither,
 *       and evaluating them cost every start some 40 ms.
 *   <li>{@code console}, line by line to the {@link dev.bridge.script.ConsoleSink} with the level of
 *       the method: {@code debug} DEBUG, {@code log/info} INFO (also group labels, counts, timers,
 *       {@code dir}), {@code warn} and a failing {@code assert} WARN, {@code error} ERROR; arguments
 *       formatted roughly like Node ({@link dev.bridge.script.ConsolePrelude}).
 *       {@code TextEncoder}/{@code TextDecoder}, and the standard ECMAScript library.
 *   <li>{@code broker} ({@link dev.bridge.script.BrokerPrelude}, over the {@link dev.bridge.rpc.Broker} of
 *       {@link dev.bridge.script.ScriptOptions#broker()}): {@code dial(id, service)} resolves to a client with a
 *       method per RPC of every call shape ({@link dev.bridge.script.RemoteCallBinding}), {@code close(id)}
 *       hangs it up; {@code serve(service, handlers)} serves an object's functions exactly as exported
 *       handlers ({@link dev.bridge.script.BrokerServing}) and resolves to its id, {@code stop(id)}. What an
 *       instance opened through it closes with the instance ({@link dev.bridge.script.BrokerSession}).
 *       {@code AbortController}, whose signal cancels a client's call.
 *   <li>Nothing else of the host: no {@code Java}, {@code Polyglot}, {@code process},
 *       {@code require}, workers, network, environment, or other files.
 * </ul>
 */
package dev.bridge.script;
