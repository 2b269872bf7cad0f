package dev.bridge.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The standard output the launcher kept aside. A go-plugin host reads the plugin's stdout for its
 * handshake line, and the JVM itself prints there too when asked to ({@code -Xlog} without an output,
 * JFR's start message, both from {@code BRIDGE_JAVA_OPTS}), which the host takes for a broken plugin.
 * So when stdout is a pipe, {@code bin/bridgejs} keeps it as file descriptor 3, points descriptor 1 at
 * stderr, and names the kept descriptor's number in {@value #PROPERTY}; the bridge's own standard output
 * (the handshake, or a command's output) is then that descriptor, and nothing else can write to it.
 *
 * <p>The descriptor is written as it was inherited ({@link DescriptorOutputStream}), never reopened by
 * path: {@code /dev/fd/3} of a pipe that belongs to the host's user cannot be opened by a plugin the
 * host runs as another user.
 */
final class KeptStdout {
  static final String PROPERTY = "bridge.stdout";

  private KeptStdout() {}

  /**
   * Makes {@code System.out} the kept stdout when the launcher named one; nothing otherwise (the
   * bridge started by {@code java -jar}, or a stdout that is a terminal or a file). Returns the error
   * to report when the kept one cannot be used.
   */
  static Optional<String> use() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    int descriptor;
    try {
      descriptor = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      descriptor = -1;
    }
    if (descriptor < 0) {
      return Optional.of(problem(value, "not a file descriptor number"));
    }
    try {
      System.setOut(new PrintStream(DescriptorOutputStream.open(descriptor), true, System.out.charset()));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(problem(value, e.getMessage()));
    }
  }

  private static String problem(String value, String reason) {
    return "bridgejs: cannot use the standard output the launcher kept (" + PROPERTY + "=" + value + "): " + reason;
  }
}
