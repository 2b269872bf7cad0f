package dev.bridge.script;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as fast as the script reads it: the HTTP client is asked for more only while less than
 * {@link #READ_AHEAD} bytes wait unread by the script, so a slow reader (or one that stopped) holds the connection
 * back, through TCP, instead of the JVM buffering the body. Nothing is asked for before {@link #start()} (a redirect's
 * body is only {@link #cancel() cancelled}). The body "arrives" at once: the response completes with its head.
 */
final class FetchBody implements HttpResponse.BodySubscriber<FetchBody> {
  /** How many bytes may wait in the script, unread, before the client stops reading the connection. */
  static final int READ_AHEAD = 256 * 1024;

  /** Where the chunks go, on the HTTP client's threads, in order. */
  interface Sink {
    void chunk(byte[] bytes);

    void end();

    void fail(Throwable failure);
  }

  private final Sink sink;
  private Flow.Subscription subscription;
  /** Bytes handed to the sink and not yet read by the script. */
  private long unread;
  private boolean requested;
  private boolean started;
  /** Cancelled, or the client ended the body: nothing more is asked for. */
  private boolean finished;
  private boolean cancelled;
  /** The client ended the body before {@link #start()}: told then (an empty body ends at once). */
  private boolean endedEarly;
  private Throwable failure;

  FetchBody(Sink sink) {
    this.sink = sink;
  }

  @Override
  public CompletionStage<FetchBody> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    synchronized (this) {
      this.subscription = subscription;
      if (cancelled) {
        subscription.cancel();
        return;
      }
    }
    askIfWanted();
  }

  /** Starts reading: the response's head has gone to the script. */
  void start() {
    boolean ended;
    synchronized (this) {
      started = true;
      ended = endedEarly && !cancelled;
    }
    if (ended) {
      tell(failure);
    } else {
      askIfWanted();
    }
  }

  /** The script read {@code bytes} of what was handed to it (on the JS thread). */
  void read(long bytes) {
    synchronized (this) {
      unread -= bytes;
    }
    askIfWanted();
  }

  /** Stops reading and lets the connection go; nothing more reaches the sink. */
  void cancel() {
    Flow.Subscription s;
    synchronized (this) {
      finished = true;
      cancelled = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    int size = 0;
    for (ByteBuffer b : buffers) {
      size += b.remaining();
    }
    byte[] chunk = new byte[size];
    int at = 0;
    for (ByteBuffer b : buffers) {
      int n = b.remaining();
      b.get(chunk, at, n);
      at += n;
    }
    synchronized (this) {
      requested = false;
      if (finished) {
        return;
      }
      unread += size;
    }
    if (size > 0) {
      sink.chunk(chunk);
    }
    askIfWanted();
  }

  @Override
  public void onError(Throwable failure) {
    end(failure);
  }

  @Override
  public void onComplete() {
    end(null);
  }

  private void end(Throwable failure) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      if (!started) {
        endedEarly = true;
        this.failure = failure;
        return;
      }
    }
    tell(failure);
  }

  private void tell(Throwable failure) {
    if (failure == null) {
      sink.end();
    } else {
      sink.fail(failure);
    }
  }

  /** Asks the client for the next buffers if the script is keeping up and none were asked for yet. */
  private void askIfWanted() {
    Flow.Subscription s;
    synchronized (this) {
      if (!started || finished || requested || subscription == null || unread >= READ_AHEAD) {
        return;
      }
      requested = true;
      s = subscription;
    }
    s.request(1);  // outside the lock: the client may deliver at once, on this thread
  }
}
