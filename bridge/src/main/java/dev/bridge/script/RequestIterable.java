package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.RequestListener;
import dev.bridge.rpc.RequestSource;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The requests of a client-streaming or bidi call as the handler's {@code requests}: an AsyncIterable (the
 * prelude's {@code Requests}) pulled on demand. Nothing is asked of the transport before the handler first
 * reads, and never more than {@link #READ_AHEAD} requests beyond those it took, so a handler that reads slowly
 * holds the caller back. Requests are handed in on the JS thread as a turn of the call ({@link ScriptRuntime#runTurn}),
 * those that arrived meanwhile together for up to {@link ScriptCall#BATCH_NANOS} (a task per request cost a fast
 * client stream a third of its throughput).
 */
final class RequestIterable implements RequestListener {
  /** Requests asked for ahead of the handler's reads. */
  static final int READ_AHEAD = 16;
  /** The caller's half-close, among the requests arrived. */
  private static final Object END = new Object();

  private final ScriptRuntime runtime;
  private final ScriptCall call;
  private final RequestSource source;
  private final Value requests;
  /** Requests (and {@link #END}) arrived from the transport and not yet handed in. */
  private final Queue<Object> arrived = new ConcurrentLinkedQueue<>();
  /** Set while a turn that hands them in is queued. */
  private final AtomicBoolean handing = new AtomicBoolean();
  /** JS thread only: requests asked of the transport, and taken by the handler. */
  private long requested;
  private long taken;

  private RequestIterable(ScriptRuntime runtime, ScriptCall call, RequestSource source) {
    this.runtime = runtime;
    this.call = call;
    this.source = source;
    ProxyExecutable onTaken = args -> {
      taken++;
      topUp();
      return null;
    };
    ProxyExecutable onWanted = args -> {
      topUp();
      return null;
    };
    this.requests = runtime.helpers().requests(onTaken, onWanted);
  }

  /** On the JS thread, as the handler starts: its {@code requests}, reading from {@code source} (started here). */
  static RequestIterable open(ScriptRuntime runtime, ScriptCall call, RequestSource source) {
    RequestIterable iterable = new RequestIterable(runtime, call, source);
    source.start(iterable);
    return iterable;
  }

  /** The JavaScript object. */
  Value value() {
    return requests;
  }

  /** On the JS thread: reads fail from now on with {@code reason} (the signal's, when the call ended early). */
  void abort(Value reason) {
    runtime.helpers().feedRequests(requests, "fail", reason);
  }

  @Override
  public void onNext(DynamicMessage request) {
    arrive(request);
  }

  @Override
  public void onCompleted() {
    arrive(END);
  }

  private void arrive(Object what) {
    arrived.add(what);
    if (handing.compareAndSet(false, true)) {
      runtime.runTurn(call, this::handIn);
    }
  }

  /**
   * On the JS thread: hands the handler what arrived (cleared first: what arrives meanwhile queues another turn),
   * in this turn for {@link ScriptCall#BATCH_NANOS} at most.
   */
  private void handIn() {
    handing.set(false);
    long started = System.nanoTime();
    for (Object next = arrived.poll(); next != null; next = arrived.poll()) {
      if (next == END) {
        runtime.helpers().feedRequests(requests, "end", null);
      } else {
        runtime.helpers().feedRequests(requests, "next", runtime.mapping().toJs((DynamicMessage) next));
      }
      if (System.nanoTime() - started >= ScriptCall.BATCH_NANOS && !arrived.isEmpty()) {
        if (handing.compareAndSet(false, true)) {
          runtime.runTurn(call, this::handIn);
        }
        return;
      }
    }
  }

  /** Keeps up to {@link #READ_AHEAD} requests coming, asking in batches of at least half of it. */
  private void topUp() {
    if (requested - taken > READ_AHEAD / 2) {
      return;
    }
    int more = (int) (taken + READ_AHEAD - requested);
    requested += more;
    source.request(more);
  }
}
