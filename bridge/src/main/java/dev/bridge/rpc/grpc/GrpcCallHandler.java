package dev.bridge.rpc.grpc;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallCancellation;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.CallLog;
import dev.bridge.rpc.CallShape;
import dev.bridge.rpc.SingleRequest;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.RequestListener;
import dev.bridge.rpc.RequestSource;
import dev.bridge.rpc.ResponseSink;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one method of any shape by a transport-free {@link MethodHandler}: grpc-java's {@link ServerCall} seen
 * as a {@link RequestSource} (requests pulled with {@code request(n)}) and a {@link ResponseSink} (its
 * {@code isReady}/{@code onReady} flow control). The transport thread returns as soon as the call is handed over.
 * The host cancelling or its deadline passing cancels the call's {@link CallCancellation} (gRPC answers the host
 * itself with {@code CANCELLED} or {@code DEADLINE_EXCEEDED}); what the handler sends after that is dropped. A
 * request whose bytes are no message fails the call with {@code INVALID_ARGUMENT} naming the method, and cancels
 * it for the handler; requests after it are dropped. A unary or server-streaming call sent no request, or two, is
 * refused by grpc-java itself before it gets here (it knows the method takes one), and its handler does not run.
 */
final class GrpcCallHandler implements ServerCallHandler<InboundRequest, DynamicMessage> {
  private static final Logger LOG = Logger.getLogger("dev.bridge.rpc");

  private final String fullMethodName;
  private final CallShape shape;
  private final MethodHandler handler;

  GrpcCallHandler(String fullMethodName, CallShape shape, MethodHandler handler) {
    this.fullMethodName = fullMethodName;
    this.shape = shape;
    this.handler = handler;
  }

  @Override
  public ServerCall.Listener<InboundRequest> startCall(ServerCall<InboundRequest, DynamicMessage> call,
      Metadata headers) {
    Context grpcContext = Context.current();
    CallCancellation cancellation = new CallCancellation();
    CallContext context = new CallContext(fullMethodName, () -> CallMetadata.ascii(headers),
        deadlineOf(grpcContext), cancellation)
        .withBinaryMetadata(() -> CallMetadata.binary(headers))
        .withResponseMetadata(CallMetadata.currentResponse());
    Context.CancellationListener onCancel = cancelled -> cancellation.cancel(reason(cancelled));
    grpcContext.addListener(onCancel, Runnable::run);
    Exchange exchange = new Exchange(call, context, () -> grpcContext.removeListener(onCancel));
    if (shape.clientStreams()) {
      start(exchange, exchange);
    } else {
      // The one request is read first, as grpc-java's unary calls do, and handed over as a SingleRequest.
      exchange.start(exchange.new OneRequest());
      call.request(2);
    }
    return exchange.listener(grpcContext);
  }

  private void start(RequestSource requests, Exchange exchange) {
    try {
      handler.start(requests, exchange, exchange.context);
    } catch (RuntimeException e) {
      exchange.fail(new CallFailure("INTERNAL", fullMethodName + ": internal error: " + e, e));
    }
  }

  private static Optional<Instant> deadlineOf(Context context) {
    Deadline deadline = context.getDeadline();
    if (deadline == null) {
      return Optional.empty();
    }
    return Optional.of(Instant.now().plusNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  /** Why grpc cancelled the call's context, as a status for the handler. */
  private CallFailure reason(Context cancelled) {
    Throwable cause = cancelled.cancellationCause();
    Status status = cause == null ? Status.CANCELLED
        : cause instanceof TimeoutException ? Status.DEADLINE_EXCEEDED : Status.fromThrowable(cause);
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED || deadlineReached(cancelled)) {
      return deadlinePassed();
    }
    return new CallFailure("CANCELLED", fullMethodName + ": the host cancelled the call");
  }

  private CallFailure deadlinePassed() {
    return new CallFailure("DEADLINE_EXCEEDED", fullMethodName + ": the host's deadline passed");
  }

  /**
   * A host cancelling this close to its deadline is its deadline passing. Our copy of the deadline (from the
   * grpc-timeout header) ends a transit time after the host's, and a host's gRPC cancels the stream when its own
   * timer fires (grpc-go does): so the cancel usually arrives first, and would read as a plain cancel.
   */
  private static boolean deadlineReached(Context context) {
    Deadline deadline = context.getDeadline();
    return deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) <= DEADLINE_SLACK_MILLIS;
  }

  /** How near its deadline a host's cancel counts as the deadline passing (a transit time, generously). */
  static final long DEADLINE_SLACK_MILLIS = 250;

  /** One call's two directions over grpc-java's call object. */
  private final class Exchange implements RequestSource, ResponseSink {
    private final ServerCall<InboundRequest, DynamicMessage> call;
    private final Runnable whenEnded;
    /** Guards the call's sending side, which grpc-java does not make thread-safe. */
    private final Object sending = new Object();
    private boolean headersSent;
    /** Written under {@link #sending}; read without it to drop requests that arrive after the call ended. */
    private volatile boolean ended;
    /**
     * Guards {@link #requests} and {@link #halfClosed}: the handler may start reading after the host ended its
     * requests (an empty stream's half-close needs nothing requested), and that end must still reach it.
     */
    private final Object reading = new Object();
    private RequestListener requests;
    private boolean halfClosed;
    private final CallContext context;
    private volatile Runnable onReady;

    Exchange(ServerCall<InboundRequest, DynamicMessage> call, CallContext context, Runnable whenEnded) {
      this.call = call;
      this.context = context;
      this.whenEnded = whenEnded;
    }

    @Override
    public void start(RequestListener listener) {
      boolean ended;
      synchronized (reading) {
        if (requests != null) {
          throw new IllegalStateException(fullMethodName + ": the requests were already started");
        }
        requests = listener;
        ended = halfClosed;
      }
      if (ended) {
        listener.onCompleted();
      }
    }

    /** The handler's listener, or null before it started reading. */
    private RequestListener reader() {
      synchronized (reading) {
        return requests;
      }
    }

    /** The handler's listener for the host's half-close; before it started reading, null and the end kept for it. */
    private RequestListener readerOfTheEnd() {
      synchronized (reading) {
        halfClosed = requests == null;
        return requests;
      }
    }

    @Override
    public void request(int count) {
      call.request(count);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setOnReady(Runnable listener) {
      onReady = listener;
    }

    @Override
    public void next(DynamicMessage response) {
      synchronized (sending) {
        if (ended || context.cancellation().isCancelled()) {
          return;  // the host is no longer listening
        }
        if (!headersSent) {
          headersSent = true;
          context.responseMetadata().sealHeaders();
          call.sendHeaders(new Metadata());
        }
        call.sendMessage(response);
      }
    }

    @Override
    public void complete() {
      close(null);
    }

    @Override
    public void fail(CallFailure failure) {
      close(failure);
    }

    private void close(CallFailure failure) {
      synchronized (sending) {
        if (ended) {
          return;
        }
        ended = true;
        context.responseMetadata().seal();
        whenEnded.run();
        if (call.isCancelled() || context.cancellation().isCancelled()) {
          // gRPC answered the host itself (CANCELLED or DEADLINE_EXCEEDED); the handler's outcome is the log's
          if (failure != null) {
            CallLog.failed(fullMethodName, failure);
          } else {
            LOG.fine(() -> fullMethodName + ": answered after the host gave up on the call");
          }
          return;
        }
        try {
          if (failure == null) {
            call.close(Status.OK, new Metadata());
          } else {
            CallLog.failed(fullMethodName, failure);
            StatusRuntimeException status = Statuses.exception(failure);
            Metadata trailers = status.getTrailers() == null ? new Metadata() : status.getTrailers();
            call.close(status.getStatus(), trailers);
          }
        } catch (RuntimeException e) {
          // The host gave up between the check and the answer: nobody is listening any more.
          LOG.log(Level.FINE, fullMethodName + ": answer dropped, the call is over", e);
        }
      }
    }

    /** Reads the one request of a unary or server-streaming call, then starts the handler with it. */
    final class OneRequest implements RequestListener {
      private DynamicMessage request;
      private boolean tooMany;

      @Override
      public void onNext(DynamicMessage next) {
        if (request != null) {
          tooMany = true;
          fail(new CallFailure("INVALID_ARGUMENT", fullMethodName + ": more than one request for a method that takes one"));
          return;
        }
        request = next;
      }

      @Override
      public void onCompleted() {
        if (tooMany) {
          return;
        }
        if (request == null) {
          fail(new CallFailure("INVALID_ARGUMENT", fullMethodName + ": the host sent no request"));
          return;
        }
        GrpcCallHandler.this.start(new SingleRequest(request), Exchange.this);
      }
    }

    ServerCall.Listener<InboundRequest> listener(Context grpcContext) {
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(InboundRequest message) {
          if (ended) {
            return;  // the call failed (a malformed request): what follows belongs to no one
          }
          if (!message.parsed()) {
            CallFailure invalid = new CallFailure("INVALID_ARGUMENT", fullMethodName + ": " + message.parseError());
            fail(invalid);
            context.cancellation().cancel(invalid);
            return;
          }
          RequestListener listener = reader();
          if (listener != null) {  // always: a message comes only once requested, after start
            listener.onNext(message.message());
          }
        }

        @Override
        public void onHalfClose() {
          if (ended) {
            return;
          }
          RequestListener listener = readerOfTheEnd();
          if (listener != null) {
            listener.onCompleted();
          }
        }

        @Override
        public void onCancel() {
          context.cancellation().cancel(grpcContext.isCancelled() ? reason(grpcContext)
              : deadlineReached(grpcContext) ? deadlinePassed()
              : new CallFailure("CANCELLED", fullMethodName + ": the host cancelled the call"));
        }

        @Override
        public void onReady() {
          Runnable listener = onReady;
          if (listener != null) {
            listener.run();
          }
        }
      };
    }
  }
}
