package dev.bridge.yamux;

import java.time.Duration;
import java.util.Objects;

/**
 * A session's settings; {@link #defaults()} are hashicorp/yamux's {@code DefaultConfig}, which go-plugin uses on both
 * sides.
 *
 * @param acceptBacklog streams opened by the peer and not yet accepted; more are reset
 * @param keepAliveInterval how often to ping the peer; {@link Duration#ZERO} for never
 * @param pingTimeout how long a keep-alive ping may go unanswered before the session is closed as dead
 */
public record YamuxConfig(int acceptBacklog, Duration keepAliveInterval, Duration pingTimeout) {
  /** Every stream's receive window at its start, fixed by the specification. */
  public static final int INITIAL_STREAM_WINDOW = 256 * 1024;

  public YamuxConfig {
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    Objects.requireNonNull(pingTimeout, "pingTimeout");
    if (acceptBacklog <= 0) {
      throw new IllegalArgumentException("acceptBacklog must be positive, got " + acceptBacklog);
    }
    if (keepAliveInterval.isNegative() || !pingTimeout.isPositive()) {
      throw new IllegalArgumentException("keep-alive interval must be >= 0 and ping timeout > 0");
    }
  }

  public static YamuxConfig defaults() {
    return new YamuxConfig(256, Duration.ofSeconds(30), Duration.ofSeconds(10));
  }

  public YamuxConfig withKeepAlive(Duration interval) {
    return new YamuxConfig(acceptBacklog, interval, pingTimeout);
  }
}
