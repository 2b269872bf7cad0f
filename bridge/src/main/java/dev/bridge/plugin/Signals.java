package dev.bridge.plugin;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Process signal policy of a plugin. */
public final class Signals {
  private Signals() {}

  /**
   * Ignores SIGINT. A terminal's Ctrl-C reaches the whole process group, host and plugin alike; the host decides what
   * it means and tells the plugin to stop through the controller, so the plugin must not die underneath it.
   *
   * @throws IllegalArgumentException if the platform has no SIGINT or the JVM reserves it
   */
  public static void ignoreInterrupt() {
    Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
  }
}
