package dev.bridge.script;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host side of {@code fetch} ({@link FetchPrelude}): checks each URL, and each redirect hop, against
 * {@link Permissions#net} before connecting, sends with the JDK's asynchronous {@link HttpClient}, and hands what
 * arrives (the head, each chunk of the body, the end or the failure) to the script as tasks queued on its JS thread
 * ({@link ScriptRuntime#runLater}): the JS thread never waits on the network. The body is read as the script reads
 * it ({@link FetchBody}).
 *
 * <p>A fetch given no signal belongs to the call whose JavaScript started it ({@link ScriptRuntime#currentCall()}),
 * if any, and runs its events as that call's: when the call ends (answered, failed, cancelled, timed out) the fetch
 * is aborted, its promise or its body's reads rejecting with an {@code AbortError} saying so.
 */
final class FetchBindings {
  /** As browsers do: more hops than this is a loop. */
  static final int MAX_REDIRECTS = 20;
  /** Headers the JDK sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
  /** How {@link #check} starts a refusal by permissions.net. */
  private static final String DENIED = "denied: ";

  private final Permissions permissions;
  private final Map<Long, Exchange> inFlight = new ConcurrentHashMap<>();
  private volatile ScriptRuntime runtime;
  private volatile boolean closed;
  private HttpClient client;

  FetchBindings(Permissions permissions) {
    this.permissions = permissions;
  }

  void attach(ScriptRuntime runtime) {
    this.runtime = runtime;
  }

  /** Requests in flight (for tests). */
  int inFlight() {
    return inFlight.size();
  }

  ProxyObject proxy() {
    return ProxyObject.fromMap(Map.of(
        "start", (ProxyExecutable) args -> start(args[0].asLong(), args[1].asString(), args[2].asString(), args[3],
            args[4], args[5].asString(), args[6], args[7].asBoolean()),
        "abort", (ProxyExecutable) args -> {
          abort(args[0].asLong());
          return null;
        },
        "read", (ProxyExecutable) args -> {
          read(args[0].asLong(), args[1].asLong());
          return null;
        },
        "utf8", (ProxyExecutable) args -> new String(JsBytes.fromJs(runtime.helpers(), args[0]), StandardCharsets.UTF_8)));
  }

  /** Ends every request in flight; their promises and bodies are left unsettled, as the instance is gone. */
  void close() {
    closed = true;
    for (Exchange exchange : inFlight.values()) {
      exchange.cancel();
      exchange.release();
    }
    inFlight.clear();
    HttpClient c;
    synchronized (this) {
      c = client;
      client = null;
    }
    if (c != null) {
      c.shutdownNow();
    }
  }

  /**
   * On the JS thread: null when the request is under way, else why it was refused (no connection was made), after
   * {@code D} when permissions.net denied it, else {@code T}. An {@code unsignalled} fetch belongs to the call
   * running now, if any.
   */
  private String start(long id, String method, String url, Value headers, Value body, String redirect, Value events,
      boolean unsignalled) {
    ScriptRuntime r = runtime;
    if (r == null) {
      return "Tfetch " + url + ": not available while the module loads; call it from a handler";
    }
    if (closed) {
      return "Tfetch " + url + ": the script instance is closing";
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "Tfetch " + url + ": not a valid URL: " + e.getReason();
    }
    String problem = check(uri);
    if (problem != null) {
      return (problem.startsWith(DENIED) ? "D" : "T") + "fetch " + url + ": " + problem;
    }
    HttpRequest.Builder builder;
    byte[] bytes = body.isNull() ? null : JsBytes.fromJs(r.helpers(), body);
    try {
      builder = HttpRequest.newBuilder(uri).version(versionFor(uri)).method(method,
          bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
      for (long i = 0; i + 1 < headers.getArraySize(); i += 2) {
        String name = headers.getArrayElement(i).asString();
        if (!RESTRICTED.contains(name)) {
          builder.header(name, headers.getArrayElement(i + 1).asString());
        }
      }
    } catch (IllegalArgumentException e) {
      return "Tfetch " + url + ": " + e.getMessage();
    }
    Exchange exchange = new Exchange(id, url, events, redirect, bytes, unsignalled ? r.currentCall() : null);
    inFlight.put(id, exchange);
    if (exchange.owner != null) {
      exchange.release = exchange.owner.onEnd(() -> endedWithItsCall(exchange));
    }
    exchange.send(builder.build(), 0);
    return null;
  }

  private void abort(long id) {
    Exchange exchange = inFlight.remove(id);
    if (exchange != null) {
      exchange.cancel();
      exchange.release();
    }
  }

  /** The script read {@code bytes} of the body of fetch {@code id}: more may come. */
  private void read(long id, long bytes) {
    Exchange exchange = inFlight.get(id);
    FetchBody body = exchange == null ? null : exchange.responseBody;
    if (body != null) {
      body.read(bytes);
    }
  }

  /** The call that started the exchange ended first (on the thread that ended it): abort, and tell the script why. */
  private void endedWithItsCall(Exchange exchange) {
    ScriptRuntime r = runtime;
    if (!inFlight.remove(exchange.id, exchange) || r == null || closed) {
      return;
    }
    exchange.cancel();
    String message = "fetch " + exchange.url + ": aborted: " + exchange.owner.howItEnded();
    r.runLater("the abort of fetch " + exchange.url, () -> exchange.events.execute("abort", message));
  }

  /** Why {@code uri} may not be fetched, or null. */
  private String check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "only http: and https: URLs can be fetched";
    }
    String host = uri.getHost();
    if (host == null) {
      return "the URL has no host";
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    if (!permissions.allowsNet(host, port)) {
      return DENIED + permissions.howToGrant("net", host);
    }
    return null;
  }

  /**
   * HTTP/1.1 for plain HTTP, as Node's fetch asks: the JDK's client would otherwise offer an upgrade to h2c
   * ({@code Upgrade: h2c}), which some servers and proxies refuse. HTTPS still negotiates HTTP/2 by ALPN.
   */
  private static HttpClient.Version versionFor(URI uri) {
    return "http".equalsIgnoreCase(uri.getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
  }

  private synchronized HttpClient client() {
    if (client == null) {
      // Redirects are followed here, not by the client, so that each hop is checked against the permissions.
      client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }
    return client;
  }

  /** One fetch: its sends (one per redirect hop) and the reading of its body. */
  private final class Exchange implements FetchBody.Sink {
    final long id;
    final String url;
    final Value events;
    final String redirect;
    final byte[] body;
    /** The call it belongs to (aborted when it ends), or null. */
    final ScriptCall owner;
    /** Forgets the exchange in its owner once it ended first. */
    volatile Runnable release = () -> {};
    volatile CompletableFuture<?> pending;
    volatile FetchBody responseBody;
    volatile boolean cancelled;

    Exchange(long id, String url, Value events, String redirect, byte[] body, ScriptCall owner) {
      this.id = id;
      this.url = url;
      this.events = events;
      this.redirect = redirect;
      this.body = body;
      this.owner = owner;
    }

    void release() {
      release.run();
    }

    void send(HttpRequest request, int hops) {
      HttpClient c = client();
      // The client's own future is the one cancelled (which aborts the exchange and closes its connection), and a
      // body that arrives as the fetch is aborted is cancelled at once.
      CompletableFuture<HttpResponse<FetchBody>> sent = c.sendAsync(request, head -> {
        FetchBody body = new FetchBody(this);
        if (cancelled) {
          body.cancel();
        }
        return body;
      });
      pending = sent;
      sent.whenComplete((response, failure) -> {
        if (failure != null) {
          fail("fetch " + url + ": " + reason(failure));
        } else {
          arrived(request, response, hops);
        }
      });
      if (cancelled) {
        sent.cancel(true);
      }
    }

    private void arrived(HttpRequest request, HttpResponse<FetchBody> response, int hops) {
      int status = response.statusCode();
      var location = response.headers().firstValue("location");
      if (status / 100 == 3 && location.isPresent() && !redirect.equals("manual")) {
        response.body().cancel();
        if (redirect.equals("error")) {
          fail("fetch " + url + ": redirected to " + location.get() + " and redirect is \"error\"");
          return;
        }
        if (hops >= MAX_REDIRECTS) {
          fail("fetch " + url + ": more than " + MAX_REDIRECTS + " redirects");
          return;
        }
        URI next;
        try {
          next = request.uri().resolve(location.get());
        } catch (IllegalArgumentException e) {
          fail("fetch " + url + ": redirected to a bad URL " + location.get());
          return;
        }
        String problem = check(next);
        if (problem != null) {
          fail("fetch " + url + ": redirected to " + next + ": " + problem, problem.startsWith(DENIED) ? "denied" : "error");
          return;
        }
        // 303, and 301/302 after a POST, continue as a GET without a body, as browsers do.
        boolean toGet = status == 303 || ((status == 301 || status == 302) && request.method().equals("POST"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(next).version(versionFor(next));
        request.headers().map().forEach((name, values) -> {
          String lower = name.toLowerCase(java.util.Locale.ROOT);
          // Credentials go no further than the host they were meant for.
          boolean sameHost = next.getHost().equalsIgnoreCase(request.uri().getHost());
          if (!(toGet && lower.startsWith("content-")) && (sameHost || !lower.equals("authorization"))) {
            values.forEach(value -> builder.header(name, value));
          }
        });
        builder.method(toGet ? "GET" : request.method(), toGet || body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!cancelled) {
          send(builder.build(), hops + 1);
        }
        return;
      }
      responseBody = response.body();
      if (cancelled) {
        responseBody.cancel();
        return;
      }
      List<String> flat = new ArrayList<>();
      response.headers().map().forEach((name, values) -> {
        if (!name.startsWith(":")) {
          values.forEach(value -> {
            flat.add(name.toLowerCase(java.util.Locale.ROOT));
            flat.add(value);
          });
        }
      });
      String finalUrl = response.uri().toString();
      boolean redirected = hops > 0;
      deliver("the head of fetch " + url, () -> events.execute("head", status,
          ProxyArray.fromArray(flat.toArray()), finalUrl, redirected));
      responseBody.start();
    }

    @Override
    public void chunk(byte[] bytes) {
      deliver("the body of fetch " + url, () -> events.execute("chunk", JsBytes.toJs(runtime.helpers(), bytes)));
    }

    @Override
    public void end() {
      if (!cancelled && inFlight.remove(id, this)) {
        release();
        deliver("the end of fetch " + url, () -> events.execute("end"));
      }
    }

    @Override
    public void fail(Throwable failure) {
      fail("fetch " + url + ": the body could not be read: " + reason(failure));
    }

    private void fail(String message) {
      fail(message, "error");
    }

    /** Rejects the fetch (or fails its body) with a TypeError; {@code kind} "denied" marks a permission denial. */
    private void fail(String message, String kind) {
      if (!cancelled && inFlight.remove(id, this)) {
        release();
        deliver("the failure of fetch " + url, () -> events.execute(kind, message));
      }
    }

    private static String reason(Throwable failure) {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      String message = cause.getMessage();
      return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** Queues an event on the JS thread; a cancelled exchange delivers nothing more. */
    private void deliver(String what, Runnable body) {
      ScriptRuntime r = runtime;
      if (r != null && !closed) {
        r.runLater(what, owner, () -> {
          if (!cancelled) {
            body.run();
          }
        });
      }
    }

    void cancel() {
      cancelled = true;
      CompletableFuture<?> p = pending;
      if (p != null) {
        p.cancel(true);
      }
      FetchBody b = responseBody;
      if (b != null) {
        b.cancel();
      }
    }
  }
}
