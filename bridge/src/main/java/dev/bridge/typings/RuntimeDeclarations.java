package dev.bridge.typings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The declarations that do not depend on the schema: the helper types at the module's root (the call
 * context, JSON values, the returned forms of well-known types) and, in {@code declare global}, what the
 * runtime puts in a script's global scope ({@code fs}, {@code bridge}, {@code broker}, {@code AbortController},
 * {@code RpcError}, {@code console}, {@code TextEncoder}/{@code TextDecoder}, timers, and the web and Node globals:
 * {@code fetch} and its classes, {@code URL}, {@code crypto}, {@code process}, {@code Buffer}...), so that type
 * checks need neither the DOM library nor {@code @types/node}. Each declares only what the runtime offers.
 *
 * <p>{@code {{Name}}} marks a reference to a helper type or a global, replaced by what the root
 * scope must write for it (a package-less proto type may take the plain name). The global block
 * declares only interfaces, variables and functions, with no type alias: declarations of the same
 * name merge, so several generated files can be checked together.
 */
final class RuntimeDeclarations {
  private static final Pattern MARKER = Pattern.compile("\\{\\{(\\w+)}}");

  private static final String HELPERS = """
      /** What a handler receives besides its request. */
      export interface {{CallContext}} {
        /** The full method name: `proto.KV/Get`. */
        readonly method: string;
        /** The request's headers: each name (lowercase) with its values; those of `-bin` names as bytes. */
        readonly metadata: { readonly [name: string]: readonly string[] }
            & { readonly [name: `${string}-bin`]: readonly {{Uint8Array}}[] };
        /**
         * Adds a response header, sent with the first response or the error status (repeated calls add values).
         * A name ending in `-bin` takes a `Uint8Array`, others printable ASCII; reserved names (`grpc-*`,
         * `content-type`...) and bad values throw a `TypeError`, and so does any call once the call is answered.
         * In a stream the headers go out with the first response: a call after it throws.
         */
        setHeader(name: `${string}-bin`, value: {{Uint8Array}}): void;
        setHeader(name: string, value: string): void;
        /** Adds a response trailer, sent with the status when the call ends (a stream too); the rules of `setHeader`. */
        setTrailer(name: `${string}-bin`, value: {{Uint8Array}}): void;
        setTrailer(name: string, value: string): void;
        /** The host's deadline for the call, or `null` when it set none. */
        readonly deadline: {{Date}} | null;
        /**
         * Aborted when the call ends early: cancelled by the host, past its deadline or the call time limit; then a
         * stream's `requests` throw the reason at the next read. A call that ends normally, or with the handler's
         * own error, does not abort it.
         */
        readonly signal: {{CallSignal}};
      }

      /** The call's signal: the web's `AbortSignal`, as far as the runtime offers it. */
      export interface {{CallSignal}} {
        readonly aborted: boolean;
        /** Once aborted: an `RpcError` with code `"CANCELLED"` or `"DEADLINE_EXCEEDED"`. */
        readonly reason: {{RpcError}} | undefined;
        throwIfAborted(): void;
        addEventListener(
          type: "abort",
          listener: ((this: {{CallSignal}}, event: {{CallAbortEvent}}) => void) | { handleEvent(event: {{CallAbortEvent}}): void } | null,
          options?: { once?: boolean } | boolean,
        ): void;
        removeEventListener(
          type: "abort",
          listener: ((this: {{CallSignal}}, event: {{CallAbortEvent}}) => void) | { handleEvent(event: {{CallAbortEvent}}): void } | null,
        ): void;
        onabort: ((this: {{CallSignal}}, event: {{CallAbortEvent}}) => void) | null;
      }

      export interface {{CallAbortEvent}} {
        readonly type: "abort";
        readonly target: {{CallSignal}};
        readonly currentTarget: {{CallSignal}};
      }

      /** `google.protobuf.Value` as received: any JSON value. */
      export type {{JsonValue}} = null | boolean | number | string | {{JsonValue}}[] | {{JsonObject}};

      /** `google.protobuf.Struct` as received: a JSON object. */
      export interface {{JsonObject}} {
        [key: string]: {{JsonValue}};
      }

      /** `google.protobuf.Value` as returned: a BigInt must be exact as a number; `null` is `NULL_VALUE`. */
      export type {{JsonValueInit}} = null | boolean | number | bigint | string | readonly {{JsonValueInit}}[] | {{JsonObjectInit}};

      /** `google.protobuf.Struct` as returned: a plain object or a `Map`; `undefined` properties are left out. */
      export type {{JsonObjectInit}} =
        | { readonly [key: string]: {{JsonValueInit}} | undefined }
        | {{ReadonlyMap}}<string, {{JsonValueInit}} | undefined>;

      /**
       * `google.protobuf.Timestamp` as returned: a `Date` (to the millisecond), an RFC 3339 string (to the
       * nanosecond, any offset) or seconds and nanoseconds since the epoch. Received, it is a `Date`,
       * except outside the years 1 to 9999 (invalid timestamps): `{seconds: bigint, nanos: number}`.
       */
      export type {{TimestampInit}} =
        | {{Date}}
        | string
        | { seconds?: bigint | number | string | null; nanos?: number | null };

      /**
       * `google.protobuf.Duration` as returned: proto3 JSON's string (`"1.5s"`), a number of
       * milliseconds, or seconds and nanoseconds. Received, it is that string, except beyond ±10000
       * years: `{seconds: bigint, nanos: number}`.
       */
      export type {{DurationInit}} =
        | string
        | number
        | { seconds?: bigint | number | string | null; nanos?: number | null };

      /**
       * `google.protobuf.Any` as received: `"@type"` and the packed message's fields; for a well-known
       * type, or a type the loaded .proto files do not define, `"@type"` and `value`.
       */
      export interface {{AnyMessage}} {
        "@type": string;
        [key: string]: unknown;
      }

      /** `google.protobuf.Any` as returned: the same shapes; `{}` is the empty Any. */
      export interface {{AnyInit}} {
        "@type"?: string;
        [key: string]: unknown;
      }
      """;

  private static final String GLOBALS = """
      declare global {
        /** The plugin's files, Node-like: paths are relative to the files directory and confined to it. */
        var fs: {{PluginFs}};

        interface PluginFs {
          readFileSync(path: string, options: "utf8" | "utf-8" | { encoding: "utf8" | "utf-8" }): string;
          readFileSync(path: string, options?: "buffer" | { encoding?: "buffer" | null } | null): {{Uint8Array}};
          /** Replaces the file as a whole: a reader sees the old content or the new, never a mix. */
          writeFileSync(
            path: string,
            data: string | {{ArrayBufferView}} | {{ArrayBuffer}},
            options?: "utf8" | "utf-8" | { encoding?: "utf8" | "utf-8" | null } | null,
          ): void;
          existsSync(path: string): boolean;
          unlinkSync(path: string): void;
          /** Appends in place, creating the file. */
          appendFileSync(
            path: string,
            data: string | {{ArrayBufferView}} | {{ArrayBuffer}},
            options?: "utf8" | "utf-8" | { encoding?: "utf8" | "utf-8" | null } | null,
          ): void;
          /** The names in the directory, sorted. */
          readdirSync(path: string): string[];
          mkdirSync(path: string, options?: { recursive?: boolean }): void;
          statSync(path: string): { size: number; mtimeMs: number; mtime: {{Date}}; isFile(): boolean; isDirectory(): boolean };
          renameSync(from: string, to: string): void;
          rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
          /** The same operations as promises. */
          readonly promises: {
            readFile(path: string, options: "utf8" | "utf-8" | { encoding: "utf8" | "utf-8" }): {{Promise}}<string>;
            readFile(path: string, options?: "buffer" | { encoding?: "buffer" | null } | null): {{Promise}}<{{Uint8Array}}>;
            writeFile(path: string, data: string | {{ArrayBufferView}} | {{ArrayBuffer}}): {{Promise}}<void>;
            appendFile(path: string, data: string | {{ArrayBufferView}} | {{ArrayBuffer}}): {{Promise}}<void>;
            readdir(path: string): {{Promise}}<string[]>;
            mkdir(path: string, options?: { recursive?: boolean }): {{Promise}}<void>;
            stat(path: string): {{Promise}}<{ size: number; mtimeMs: number; mtime: {{Date}}; isFile(): boolean; isDirectory(): boolean }>;
            rename(from: string, to: string): {{Promise}}<void>;
            rm(path: string, options?: { recursive?: boolean; force?: boolean }): {{Promise}}<void>;
            unlink(path: string): {{Promise}}<void>;
          };
        }

        /** What the bridge hands the script beside its calls. */
        var bridge: {{PluginBridge}};

        interface PluginBridge {
          /**
           * The arguments the host put after the script on the command line (`bridgejs [OPTIONS] SCRIPT
           * [HOST-ARGS...]`), in order, as given; `[]` under `bridgejs call`.
           */
          readonly args: readonly string[];
        }

        /**
         * go-plugin's broker: `dial` a service the host offers under an id (from a request) and `close` that
         * connection, `serve` one to the host (resolving to the id to hand it) and `stop` serving it. `dial` and `serve` are typed per loaded service below.
         */
        var broker: {{PluginBroker}};

        interface PluginBroker {
          /** Stops serving what `serve` resolved to this id; resolves to whether it was served. */
          stop(id: number | bigint): {{Promise}}<boolean>;
          /** Closes the connection `dial` made to this id (every client of it); resolves to whether there was one. */
          close(id: number | bigint): {{Promise}}<boolean>;
        }

        /** The last argument of a client's methods. */
        interface BrokerCallOptions {
          /** When the call fails with `DEADLINE_EXCEEDED`; the earlier of this and `timeout` counts. */
          deadline?: {{Date}} | null;
          /** Milliseconds from now until the call fails with `DEADLINE_EXCEEDED`. */
          timeout?: number | null;
          /** Request headers: a name (sent lowercase) to a string, a `Uint8Array` for a name ending in `-bin`, or an array. */
          metadata?: { readonly [name: string]: string | {{Uint8Array}} | readonly (string | {{Uint8Array}})[] } | null;
          /** Cancels the call when aborted, which then rejects (or throws, for a stream) the signal's reason. */
          signal?: {{BrokerSignal}} | null;
        }

        /** What a `signal` option takes (a broker call's, `fetch`'s): an `AbortController`'s signal, or a handler's `context.signal`. */
        interface BrokerSignal {
          readonly aborted: boolean;
          readonly reason: unknown;
          addEventListener(type: "abort", listener: () => void): void;
          removeEventListener(type: "abort", listener: () => void): void;
        }

        /** The web's `AbortController`: `abort()` aborts its signal (reason: a `CANCELLED` `RpcError` by default). */
        var AbortController: {{AbortControllerConstructor}};

        interface AbortController {
          readonly signal: {{AbortSignal}};
          abort(reason?: unknown): void;
        }

        interface AbortControllerConstructor {
          new (): {{AbortController}};
          readonly prototype: {{AbortController}};
        }

        /** The web's `AbortSignal`: an `AbortController`'s, or made by `AbortSignal.timeout` or `AbortSignal.abort`. */
        var AbortSignal: {{AbortSignalConstructor}};

        interface AbortSignal {
          readonly aborted: boolean;
          readonly reason: unknown;
          throwIfAborted(): void;
          addEventListener(
            type: "abort",
            listener: ((this: {{AbortSignal}}, event: {{AbortEvent}}) => void) | { handleEvent(event: {{AbortEvent}}): void } | null,
            options?: { once?: boolean } | boolean,
          ): void;
          removeEventListener(
            type: "abort",
            listener: ((this: {{AbortSignal}}, event: {{AbortEvent}}) => void) | { handleEvent(event: {{AbortEvent}}): void } | null,
          ): void;
          onabort: ((this: {{AbortSignal}}, event: {{AbortEvent}}) => void) | null;
        }

        interface AbortEvent {
          readonly type: "abort";
          readonly target: {{AbortSignal}};
          readonly currentTarget: {{AbortSignal}};
        }

        interface AbortSignalConstructor {
          readonly prototype: {{AbortSignal}};
          /** Aborts after this many milliseconds, with an `Error` named `TimeoutError`. */
          timeout(milliseconds: number): {{AbortSignal}};
          /** Already aborted (reason: a `CANCELLED` `RpcError` by default). */
          abort(reason?: unknown): {{AbortSignal}};
        }

        /**
         * The web's `fetch`, to the hosts `permissions.net` grants (each redirect hop checked): a refused URL rejects
         * with a `TypeError` naming the permission to add. A fetch a handler starts without a `signal` is aborted when
         * its call ends.
         */
        function fetch(input: string | {{URL}} | {{Request}}, init?: {{RequestInit}}): {{Promise}}<{{Response}}>;

        interface RequestInit {
          method?: string;
          headers?: {{Headers}} | readonly (readonly [string, string])[] | { readonly [name: string]: string };
          body?: string | {{ArrayBuffer}} | {{ArrayBufferView}} | {{URLSearchParams}} | null;
          signal?: {{BrokerSignal}} | null;
          redirect?: "follow" | "manual" | "error";
        }

        interface ResponseInit {
          status?: number;
          statusText?: string;
          headers?: {{Headers}} | readonly (readonly [string, string])[] | { readonly [name: string]: string };
        }

        /** What `Request` and `Response` share: the body, read once, whole or as it comes. */
        interface Body {
          /** The body as it arrives, or `null` when there is none; reading it uses the body up. */
          readonly body: {{ReadableStream}} | null;
          readonly bodyUsed: boolean;
          arrayBuffer(): {{Promise}}<{{ArrayBuffer}}>;
          bytes(): {{Promise}}<{{Uint8Array}}>;
          text(): {{Promise}}<string>;
          json(): {{Promise}}<any>;
        }

        /** A body as it arrives: `for await` its chunks, or `getReader()`. */
        interface ReadableStream {
          readonly locked: boolean;
          getReader(): {{ReadableStreamReader}};
          [Symbol.asyncIterator](): {{AsyncIterableIterator}}<{{Uint8Array}}>;
        }

        interface ReadableStreamReader {
          read(): {{Promise}}<{ done: false; value: {{Uint8Array}} } | { done: true; value: undefined }>;
          releaseLock(): void;
          /** Stops reading: the rest of the body is not fetched. */
          cancel(reason?: unknown): {{Promise}}<void>;
          readonly closed: {{Promise}}<void>;
        }

        var Headers: {{HeadersConstructor}};

        /** Header names are kept lowercase; `get` joins repeated values with `, `. */
        interface Headers {
          append(name: string, value: string): void;
          set(name: string, value: string): void;
          get(name: string): string | null;
          getSetCookie(): string[];
          has(name: string): boolean;
          delete(name: string): void;
          entries(): {{Generator}}<[string, string], void>;
          keys(): {{Generator}}<string, void>;
          values(): {{Generator}}<string, void>;
          forEach(callback: (value: string, name: string, parent: {{Headers}}) => void, thisArg?: unknown): void;
          [Symbol.iterator](): {{Generator}}<[string, string], void>;
        }

        interface HeadersConstructor {
          new (init?: {{Headers}} | readonly (readonly [string, string])[] | { readonly [name: string]: string }): {{Headers}};
          readonly prototype: {{Headers}};
        }

        var Request: {{RequestConstructor}};

        interface Request extends {{Body}} {
          readonly url: string;
          readonly method: string;
          readonly headers: {{Headers}};
          readonly signal: {{BrokerSignal}} | null;
          readonly redirect: "follow" | "manual" | "error";
        }

        interface RequestConstructor {
          new (input: string | {{URL}} | {{Request}}, init?: {{RequestInit}}): {{Request}};
          readonly prototype: {{Request}};
        }

        var Response: {{ResponseConstructor}};

        interface Response extends {{Body}} {
          readonly status: number;
          readonly statusText: string;
          readonly ok: boolean;
          readonly headers: {{Headers}};
          /** The URL of the last hop, after redirects; `""` for a response the script made. */
          readonly url: string;
          readonly redirected: boolean;
          readonly type: "basic" | "default" | "error";
        }

        interface ResponseConstructor {
          new (
            body?: string | {{ArrayBuffer}} | {{ArrayBufferView}} | {{URLSearchParams}} | null,
            init?: {{ResponseInit}},
          ): {{Response}};
          readonly prototype: {{Response}};
          json(data: unknown, init?: {{ResponseInit}}): {{Response}};
          error(): {{Response}};
        }

        var URL: {{URLConstructor}};

        /** The WHATWG URL; setting a part updates the others. */
        interface URL {
          href: string;
          readonly origin: string;
          protocol: string;
          username: string;
          password: string;
          host: string;
          hostname: string;
          port: string;
          pathname: string;
          search: string;
          readonly searchParams: {{URLSearchParams}};
          hash: string;
          toString(): string;
          toJSON(): string;
        }

        interface URLConstructor {
          /** Throws a `TypeError` (`code: "ERR_INVALID_URL"`) for a URL that does not parse. */
          new (url: string | {{URL}}, base?: string | {{URL}}): {{URL}};
          readonly prototype: {{URL}};
          canParse(url: string | {{URL}}, base?: string | {{URL}}): boolean;
          parse(url: string | {{URL}}, base?: string | {{URL}}): {{URL}} | null;
        }

        var URLSearchParams: {{URLSearchParamsConstructor}};

        interface URLSearchParams {
          readonly size: number;
          append(name: string, value: string): void;
          delete(name: string, value?: string): void;
          get(name: string): string | null;
          getAll(name: string): string[];
          has(name: string, value?: string): boolean;
          set(name: string, value: string): void;
          sort(): void;
          forEach(callback: (value: string, name: string, parent: {{URLSearchParams}}) => void, thisArg?: unknown): void;
          entries(): {{Generator}}<[string, string], void>;
          keys(): {{Generator}}<string, void>;
          values(): {{Generator}}<string, void>;
          [Symbol.iterator](): {{Generator}}<[string, string], void>;
          /** As `application/x-www-form-urlencoded`, without a leading `?`. */
          toString(): string;
        }

        interface URLSearchParamsConstructor {
          new (
            init?: string | {{URLSearchParams}} | {{Iterable}}<readonly [string, string]> | { readonly [name: string]: string },
          ): {{URLSearchParams}};
          readonly prototype: {{URLSearchParams}};
        }

        /** Decodes base64 to a string of one character per byte. */
        function atob(data: string): string;
        /** Encodes a string of characters up to U+00FF as base64. */
        function btoa(data: string): string;
        /** A deep copy of plain data (objects, arrays, Date, RegExp, Map, Set, typed arrays, errors); functions throw. */
        function structuredClone<T>(value: T): T;

        var performance: {{Performance}};

        interface Performance {
          /** Milliseconds since the script's instance started, with sub-millisecond precision. */
          now(): number;
          readonly timeOrigin: number;
          toJSON(): { timeOrigin: number };
        }

        /** Web Crypto on the JDK. */
        var crypto: {{Crypto}};

        interface Crypto {
          readonly subtle: {{SubtleCrypto}};
          /** Fills an integer typed array of up to 65536 bytes with random values and returns it. */
          getRandomValues<
            T extends {{Int8Array}} | {{Uint8Array}} | {{Uint8ClampedArray}} | {{Int16Array}} | {{Uint16Array}}
              | {{Int32Array}} | {{Uint32Array}} | {{BigInt64Array}} | {{BigUint64Array}},
          >(array: T): T;
          /** A random (version 4) UUID. */
          randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
        }

        /** The hashes `digest` and HMAC keys take. */
        interface DigestAlgorithms {
          "SHA-1": 1;
          "SHA-256": 1;
          "SHA-384": 1;
          "SHA-512": 1;
        }

        /** What keys may be used for. */
        interface KeyUsages {
          sign: 1;
          verify: 1;
          encrypt: 1;
          decrypt: 1;
        }

        interface HmacImportParams {
          name: "HMAC";
          hash: keyof {{DigestAlgorithms}} | { name: keyof {{DigestAlgorithms}} };
          /** In bits; by default the key's length (generated: the hash's block size). */
          length?: number;
        }

        interface EcKeyParams {
          name: "ECDSA";
          namedCurve: "P-256";
        }

        interface EcdsaParams {
          name: "ECDSA";
          hash: keyof {{DigestAlgorithms}} | { name: keyof {{DigestAlgorithms}} };
        }

        interface AesKeyParams {
          name: "AES-GCM";
          length: 128 | 192 | 256;
        }

        interface AesGcmParams {
          name: "AES-GCM";
          /** Never reuse an iv with the same key: 12 random bytes (`crypto.getRandomValues`) is the usual choice. */
          iv: {{ArrayBuffer}} | {{ArrayBufferView}};
          additionalData?: {{ArrayBuffer}} | {{ArrayBufferView}};
          /** In bits: 128 (the default), 120, 112, 104, 96, 64 or 32. */
          tagLength?: 32 | 64 | 96 | 104 | 112 | 120 | 128;
        }

        /** A key as JSON (RFC 7517): `oct` (AES, HMAC), `EC` (P-256) or `OKP` (Ed25519); `d` for a private key. */
        interface JsonWebKey {
          kty: string;
          crv?: string;
          x?: string;
          y?: string;
          d?: string;
          k?: string;
          alg?: string;
          ext?: boolean;
          key_ops?: string[];
        }

        interface CryptoKeyPair {
          publicKey: {{CryptoKey}};
          privateKey: {{CryptoKey}};
        }

        /**
         * `crypto.subtle` as far as the runtime offers it: digests, HMAC, AES-GCM, ECDSA on P-256 and Ed25519; each
         * method returns a promise. ECDSA signatures are `r` and `s` (64 bytes), as on the web.
         */
        interface SubtleCrypto {
          digest(algorithm: keyof {{DigestAlgorithms}} | { name: keyof {{DigestAlgorithms}} }, data: {{ArrayBuffer}} | {{ArrayBufferView}}): {{Promise}}<{{ArrayBuffer}}>;
          /** HMAC and AES-GCM keys as `raw` or `jwk`; ECDSA and Ed25519 public keys as `raw`, `spki` or `jwk`, private ones as `pkcs8` or `jwk`. */
          importKey(
            format: "raw" | "spki" | "pkcs8",
            keyData: {{ArrayBuffer}} | {{ArrayBufferView}},
            algorithm: {{HmacImportParams}} | "AES-GCM" | { name: "AES-GCM" } | {{EcKeyParams}} | "Ed25519" | { name: "Ed25519" },
            extractable: boolean,
            keyUsages: readonly (keyof {{KeyUsages}})[],
          ): {{Promise}}<{{CryptoKey}}>;
          importKey(
            format: "jwk",
            keyData: {{JsonWebKey}},
            algorithm: {{HmacImportParams}} | "AES-GCM" | { name: "AES-GCM" } | {{EcKeyParams}} | "Ed25519" | { name: "Ed25519" },
            extractable: boolean,
            keyUsages: readonly (keyof {{KeyUsages}})[],
          ): {{Promise}}<{{CryptoKey}}>;
          /** A private key imported as `pkcs8` does not export as `jwk` (it does not know its public key). */
          exportKey(format: "jwk", key: {{CryptoKey}}): {{Promise}}<{{JsonWebKey}}>;
          exportKey(format: "raw" | "spki" | "pkcs8", key: {{CryptoKey}}): {{Promise}}<{{ArrayBuffer}}>;
          generateKey(
            algorithm: {{EcKeyParams}} | "Ed25519" | { name: "Ed25519" },
            extractable: boolean,
            keyUsages: readonly ("sign" | "verify")[],
          ): {{Promise}}<{{CryptoKeyPair}}>;
          generateKey(
            algorithm: {{AesKeyParams}} | {{HmacImportParams}},
            extractable: boolean,
            keyUsages: readonly (keyof {{KeyUsages}})[],
          ): {{Promise}}<{{CryptoKey}}>;
          encrypt(algorithm: {{AesGcmParams}}, key: {{CryptoKey}}, data: {{ArrayBuffer}} | {{ArrayBufferView}}): {{Promise}}<{{ArrayBuffer}}>;
          decrypt(algorithm: {{AesGcmParams}}, key: {{CryptoKey}}, data: {{ArrayBuffer}} | {{ArrayBufferView}}): {{Promise}}<{{ArrayBuffer}}>;
          sign(
            algorithm: "HMAC" | { name: "HMAC" } | "Ed25519" | { name: "Ed25519" } | {{EcdsaParams}},
            key: {{CryptoKey}},
            data: {{ArrayBuffer}} | {{ArrayBufferView}},
          ): {{Promise}}<{{ArrayBuffer}}>;
          verify(
            algorithm: "HMAC" | { name: "HMAC" } | "Ed25519" | { name: "Ed25519" } | {{EcdsaParams}},
            key: {{CryptoKey}},
            signature: {{ArrayBuffer}} | {{ArrayBufferView}},
            data: {{ArrayBuffer}} | {{ArrayBufferView}},
          ): {{Promise}}<boolean>;
        }

        /** Made by `crypto.subtle.importKey` or `generateKey`, not by `new`. */
        var CryptoKey: {{CryptoKeyConstructor}};

        interface CryptoKey {
          readonly type: "secret" | "public" | "private";
          readonly extractable: boolean;
          readonly algorithm: {
            readonly name: "HMAC" | "AES-GCM" | "ECDSA" | "Ed25519";
            /** HMAC's. */
            readonly hash?: { readonly name: keyof {{DigestAlgorithms}} };
            /** In bits: HMAC's and AES's. */
            readonly length?: number;
            /** ECDSA's. */
            readonly namedCurve?: "P-256";
          };
          readonly usages: readonly (keyof {{KeyUsages}})[];
        }

        interface CryptoKeyConstructor {
          readonly prototype: {{CryptoKey}};
        }

        /** Enough of Node's `process` for npm packages that probe it. */
        var process: {{PluginProcess}};

        interface PluginProcess {
          /**
           * The variables `permissions.env` grants; any other reads as `undefined` (the plugin logs which permission
           * to add). Assigning changes what this script reads, never the plugin's environment.
           */
          readonly env: { [name: string]: string | undefined };
          /** Node's name of the operating system: `linux`, `darwin`, `win32`. */
          readonly platform: string;
          /** Empty: no `node` version, so packages take their non-Node path. */
          readonly versions: { readonly [name: string]: string | undefined };
        }

        /** The encodings `Buffer` takes (in any case). */
        interface BufferEncodings {
          utf8: 1;
          "utf-8": 1;
          hex: 1;
          base64: 1;
          base64url: 1;
          latin1: 1;
          binary: 1;
          ascii: 1;
        }

        /** Node's `Buffer`, as far as npm packages commonly use it: a `Uint8Array` with encodings. */
        var Buffer: {{BufferConstructor}};

        interface Buffer extends {{Uint8Array}}<{{ArrayBuffer}}> {
          toString(encoding?: keyof {{BufferEncodings}}, start?: number, end?: number): string;
          toJSON(): { type: "Buffer"; data: number[] };
          equals(other: {{Uint8Array}}): boolean;
          compare(other: {{Uint8Array}}): -1 | 0 | 1;
          /** Shares memory with this buffer, as Node's does (unlike `Uint8Array`'s `slice`). */
          slice(start?: number, end?: number): {{Buffer}};
          subarray(start?: number, end?: number): {{Buffer}};
          fill(value: string | number, offset?: number, end?: number, encoding?: keyof {{BufferEncodings}}): this;
          fill(value: string, encoding: keyof {{BufferEncodings}}): this;
          /** Writes the encoded string at `offset`; returns the bytes written. */
          write(string: string, offset?: number, length?: number, encoding?: keyof {{BufferEncodings}}): number;
          write(string: string, encoding: keyof {{BufferEncodings}}): number;
        }

        interface BufferConstructor {
          readonly prototype: {{Buffer}};
          from(string: string, encoding?: keyof {{BufferEncodings}}): {{Buffer}};
          from(arrayBuffer: {{ArrayBuffer}} | {{SharedArrayBuffer}}, byteOffset?: number, length?: number): {{Buffer}};
          from(data: {{ArrayLike}}<number> | { type: "Buffer"; data: readonly number[] }): {{Buffer}};
          alloc(size: number, fill?: string | number, encoding?: keyof {{BufferEncodings}}): {{Buffer}};
          allocUnsafe(size: number): {{Buffer}};
          isBuffer(value: unknown): value is {{Buffer}};
          isEncoding(encoding: unknown): boolean;
          byteLength(value: string | {{ArrayBuffer}} | {{ArrayBufferView}}, encoding?: keyof {{BufferEncodings}}): number;
          concat(list: readonly {{Uint8Array}}[], totalLength?: number): {{Buffer}};
          compare(a: {{Buffer}}, b: {{Uint8Array}}): -1 | 0 | 1;
        }

        /** Thrown by a handler: fails the call with this gRPC status (a name in any case, or 1 to 16) and message. */
        var RpcError: {{RpcErrorConstructor}};

        interface RpcError extends {{Error}} {
          code: keyof {{RpcStatusCodes}} | Lowercase<keyof {{RpcStatusCodes}}> | {{RpcStatusCodes}}[keyof {{RpcStatusCodes}}];
          /**
           * Error details sent to the host in a `google.rpc.Status` (Go: `status.FromError(err).Details()`), each
           * as an `Any`: `{"@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [...]}`.
           */
          details?: readonly { readonly "@type": string; readonly [field: string]: unknown }[];
        }

        interface RpcErrorConstructor {
          new (
            code: keyof {{RpcStatusCodes}} | Lowercase<keyof {{RpcStatusCodes}}> | {{RpcStatusCodes}}[keyof {{RpcStatusCodes}}],
            message?: string,
            options?: {{ErrorOptions}} & { details?: readonly { readonly "@type": string; readonly [field: string]: unknown }[] },
          ): {{RpcError}};
          readonly prototype: {{RpcError}};
        }

        /** gRPC's status codes, by name. */
        interface RpcStatusCodes {
          CANCELLED: 1;
          UNKNOWN: 2;
          INVALID_ARGUMENT: 3;
          DEADLINE_EXCEEDED: 4;
          NOT_FOUND: 5;
          ALREADY_EXISTS: 6;
          PERMISSION_DENIED: 7;
          RESOURCE_EXHAUSTED: 8;
          FAILED_PRECONDITION: 9;
          ABORTED: 10;
          OUT_OF_RANGE: 11;
          UNIMPLEMENTED: 12;
          INTERNAL: 13;
          UNAVAILABLE: 14;
          DATA_LOSS: 15;
          UNAUTHENTICATED: 16;
        }

        /** Lines to the host's log, at the level of the method, and to go-plugin's stdio stream. */
        var console: {{Console}};

        interface Console {
          log(...data: unknown[]): void;
          info(...data: unknown[]): void;
          debug(...data: unknown[]): void;
          warn(...data: unknown[]): void;
          error(...data: unknown[]): void;
          dir(item?: unknown, options?: unknown): void;
          assert(condition?: boolean, ...data: unknown[]): void;
          count(label?: string): void;
          group(...label: unknown[]): void;
          groupEnd(): void;
          time(label?: string): void;
          timeLog(label?: string, ...data: unknown[]): void;
          timeEnd(label?: string): void;
          clear(): void;
        }

        var TextEncoder: {{TextEncoderConstructor}};

        interface TextEncoder {
          readonly encoding: string;
          encode(input?: string): {{Uint8Array}};
          encodeInto(source: string, destination: {{Uint8Array}}): { read: number; written: number };
        }

        interface TextEncoderConstructor {
          new (): {{TextEncoder}};
          readonly prototype: {{TextEncoder}};
        }

        var TextDecoder: {{TextDecoderConstructor}};

        interface TextDecoder {
          readonly encoding: string;
          readonly fatal: boolean;
          readonly ignoreBOM: boolean;
          decode(input?: {{ArrayBufferView}} | {{ArrayBuffer}}, options?: { stream?: boolean }): string;
        }

        interface TextDecoderConstructor {
          new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): {{TextDecoder}};
          readonly prototype: {{TextDecoder}};
        }

        /** A timer, as in Node; its primitive value is its id. */
        interface Timeout {
          hasRef(): boolean;
          ref(): this;
          unref(): this;
          refresh(): this;
          close(): this;
          [Symbol.toPrimitive](): number;
        }

        interface Immediate {
          hasRef(): boolean;
          ref(): this;
          unref(): this;
        }

        function setTimeout<TArgs extends unknown[]>(callback: (...args: TArgs) => void, delay?: number, ...args: TArgs): {{Timeout}};
        function setInterval<TArgs extends unknown[]>(callback: (...args: TArgs) => void, delay?: number, ...args: TArgs): {{Timeout}};
        function clearTimeout(timeout: {{Timeout}} | number | string | null | undefined): void;
        function clearInterval(timeout: {{Timeout}} | number | string | null | undefined): void;
        function setImmediate<TArgs extends unknown[]>(callback: (...args: TArgs) => void, ...args: TArgs): {{Immediate}};
        function clearImmediate(immediate: {{Immediate}} | null | undefined): void;
        function queueMicrotask(callback: () => void): void;
      }
      """;

  private RuntimeDeclarations() {}

  /** The helper types, declared at the module's root under the names {@code names} gave them. */
  static String helpers(DeclaredNames names) {
    return resolve(HELPERS, names);
  }

  static String globals(DeclaredNames names) {
    return resolve(GLOBALS, names);
  }

  private static String resolve(String template, DeclaredNames names) {
    TsScope root = names.root();
    Matcher marker = MARKER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (marker.find()) {
      String name = marker.group(1);
      String resolved = names.isHelper(name) ? names.helper(name).from(root) : root.global(name);
      marker.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    marker.appendTail(out);
    return out.toString();
  }
}
