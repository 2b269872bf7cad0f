package dev.bridge.warm;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The warm runtime's root log handler: each plugin instance's records go to that instance's handler (hclog lines on
 * its client's stderr), everything else to the runtime's own log. Which instance a record belongs to is the thread's:
 * an instance's serving thread opens a {@link Route}, which the threads it starts inherit (its JavaScript threads, its
 * server's event loops); a thread of a pool shared by every instance may carry the route of the instance that started
 * it, which once closed sends its records to the runtime's log again.
 */
public final class InstanceLogs extends Handler {
  private static final InheritableThreadLocal<Route> ROUTE = new InheritableThreadLocal<>();
  // JUL holds loggers weakly; a logger whose level we set must stay referenced or the setting is lost.
  private static final Logger BRIDGE_LOGGER = Logger.getLogger("dev.bridge");

  private final Handler fallback;

  private InstanceLogs(Handler fallback) {
    this.fallback = fallback;
  }

  /**
   * Makes the router the root logger's only handler, {@code fallback} taking what no open route claims. Bridge's
   * loggers log from debug up (each instance's handler keeps its own level); others from info.
   */
  public static void install(Handler fallback) {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler existing : root.getHandlers()) {
      root.removeHandler(existing);
    }
    root.addHandler(new InstanceLogs(fallback));
    root.setLevel(Level.INFO);
    BRIDGE_LOGGER.setLevel(Level.FINE);
  }

  /** Opens a route for this thread and the threads it starts; records go to the fallback until {@link #route}. */
  public static Route open() {
    Route route = new Route();
    ROUTE.set(route);
    return route;
  }

  /** Sends the records of this thread's route to {@code handler}. */
  public static void route(Handler handler) {
    Route route = ROUTE.get();
    if (route == null) {
      throw new IllegalStateException("no log route is open on this thread");
    }
    route.handler = handler;
  }

  @Override
  public void publish(LogRecord record) {
    Route route = ROUTE.get();
    Handler handler = route == null || route.closed ? null : route.handler;
    (handler != null ? handler : fallback).publish(record);
  }

  @Override
  public void flush() {
    fallback.flush();
  }

  @Override
  public void close() {
    fallback.close();
  }

  /** One instance's destination for log records; closing it sends them back to the runtime's log. */
  public static final class Route implements AutoCloseable {
    private volatile Handler handler;
    private volatile boolean closed;

    private Route() {}

    @Override
    public void close() {
      closed = true;
      if (ROUTE.get() == this) {
        ROUTE.remove();
      }
    }
  }
}
