package dev.bridge.rpc;

/** A service the plugin serves to the host through the broker, under {@link #id()}, until closed. */
public interface BrokeredService extends AutoCloseable {
  /** The broker id the host dials (go-plugin's {@code broker.Dial(id)}); the script hands it over in a response. */
  long id();

  /** Stops listening and ends the calls in progress; idempotent. */
  @Override
  void close();
}
