package dev.bridge.cli;

/**
 * Turns off Netty's Java Flight Recorder events (its buffer allocator's chunk and buffer events) unless the user set
 * the property: Netty checks whether they are enabled at the first buffer it allocates, which registers them with JFR
 * and so sets up JFR's event metadata, on the transport's thread while the host's first connection waits. Nothing in
 * a plugin records with JFR by default; who does can set the property back to true in {@code BRIDGE_JAVA_OPTS}.
 */
final class NettyJfrEvents {
  // grpc-netty-shaded renames Netty's io.netty.* properties with its classes.
  static final String PROPERTY = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  private NettyJfrEvents() {}

  /** Sets the property to false if unset; before anything uses Netty. */
  static void offUnlessSet() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "false");
    }
  }
}
