package dev.bridge.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

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
   * to report when the kept one is not open; one that cannot be written is reported at the first write.
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
    Path open = Path.of("/proc/self/fd", value);
    if (Files.isDirectory(open.getParent()) && !Files.exists(open, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(problem(value, "file descriptor " + value + " is not open"));
    }
    // Linking write(2) costs a few hundred milliseconds of a loaded machine's start: it is done on a
    // thread of its own while the bridge starts, and the first write (the handshake) waits for it.
    CompletableFuture<DescriptorOutputStream> opening = new CompletableFuture<>();
    int number = descriptor;
    Thread.ofPlatform().daemon().name("bridge-stdout-open").start(() -> {
      try {
        opening.complete(DescriptorOutputStream.open(number));
      } catch (IOException | RuntimeException | Error e) {
        opening.completeExceptionally(e);
      }
    });
    System.setOut(new PrintStream(new Opening(opening, value), true, System.out.charset()));
    return Optional.empty();
  }

  /** The kept stdout once it is open; a failure to open it is logged once and fails every write. */
  private static final class Opening extends OutputStream {
    private final CompletableFuture<DescriptorOutputStream> opening;
    private final String value;
    private boolean reported;

    Opening(CompletableFuture<DescriptorOutputStream> opening, String value) {
      this.opening = opening;
      this.value = value;
    }

    @Override
    public void write(int b) throws IOException {
      opened().write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      opened().write(bytes, offset, length);
    }

    private synchronized OutputStream opened() throws IOException {
      try {
        return opening.join();
      } catch (CompletionException e) {
        String reason = problem(value, String.valueOf(e.getCause().getMessage()));
        if (!reported) {
          // PrintStream keeps only that an error happened: the reason is said here.
          reported = true;
          Logger.getLogger("dev.bridge.cli").severe(reason);
        }
        throw new IOException(reason, e.getCause());
      }
    }
  }

  private static String problem(String value, String reason) {
    return "bridgejs: cannot use the standard output the launcher kept (" + PROPERTY + "=" + value + "): " + reason;
  }
}
