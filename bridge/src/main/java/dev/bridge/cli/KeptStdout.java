package dev.bridge.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The standard output the launcher kept aside. A go-plugin host reads the plugin's stdout for its
 * handshake line, and the JVM itself prints there too when asked to ({@code -Xlog} without an output,
 * JFR's start message, both from {@code BRIDGE_JAVA_OPTS}), which the host takes for a broken plugin.
 * So when stdout is a pipe, {@code bin/bridgejs} keeps it as file descriptor 3, points descriptor 1 at
 * stderr, and names the kept one in {@value #PROPERTY}; the bridge's own standard output (the
 * handshake, or a command's output) is then that one, and nothing else can write to it.
 */
final class KeptStdout {
  static final String PROPERTY = "bridge.stdout";

  private KeptStdout() {}

  /**
   * Makes {@code System.out} the kept stdout when the launcher named one; nothing otherwise (the
   * bridge started by {@code java -jar}, or a stdout that is a terminal or a file). Returns the error
   * to report when the kept one cannot be opened.
   */
  static Optional<String> use() {
    String path = System.getProperty(PROPERTY);
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    try {
      // Appending: a file opened by the shell keeps what is already in it.
      System.setOut(new PrintStream(new FileOutputStream(path, true), true, System.out.charset()));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("bridgejs: cannot open the standard output the launcher kept (" + PROPERTY + "=" + path
          + "): " + e.getMessage());
    }
  }
}
