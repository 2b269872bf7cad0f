package dev.bridge.warm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A client of the runtime in Java: {@code bridgejs warm status} and {@code stop}, and tests. (The client hosts start
 * is the C one, bridgejs-warm.c, which starts in a millisecond.)
 */
public final class WarmConnection {
  private WarmConnection() {}

  /**
   * Connects to {@code socket}, sends {@code first}, and copies the runtime's output frames to {@code out} and
   * {@code err} until its exit frame.
   *
   * @return the exit code the runtime sent
   * @throws IOException when the runtime cannot be reached, or the connection ends without an exit code
   */
  public static int exchange(Path socket, Frame first, OutputStream out, OutputStream err) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      first.writeTo(ChannelStreams.output(channel));
      InputStream in = ChannelStreams.input(channel);
      Frame frame;
      while ((frame = Frame.readFrom(in)) != null) {
        switch (frame.type()) {
          case STDOUT -> out.write(frame.payload());
          case STDERR -> err.write(frame.payload());
          case EXIT -> {
            out.flush();
            err.flush();
            return frame.exitCode();
          }
          default -> throw new IOException("the runtime sent a " + frame.type() + " frame");
        }
      }
      throw new IOException("the warm runtime at " + socket + " closed the connection without an exit code");
    }
  }
}
