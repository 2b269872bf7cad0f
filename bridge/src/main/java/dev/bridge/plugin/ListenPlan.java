package dev.bridge.plugin;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the plugin's servers listen, decided once from the host's environment: a Unix socket in
 * {@code PLUGIN_UNIX_SOCKET_DIR}, handed to {@code PLUGIN_UNIX_SOCKET_GROUP} when set, or TCP on 127.0.0.1 within the
 * port range (when asked to, or where Unix sockets cannot be served). The main server and every brokered server
 * listen the same way.
 *
 * @param tcp listen on TCP rather than a Unix socket
 */
public record ListenPlan(boolean tcp, PortRange ports, Path socketDir, Optional<GroupPrincipal> socketGroup) {
  private static final Logger LOG = Logger.getLogger(ListenPlan.class.getName());

  /** The plan for {@code environment}; TCP when {@code forceTcp} or when Unix sockets are unavailable here. */
  public static ListenPlan of(PluginEnvironment environment, boolean forceTcp) {
    boolean tcp = forceTcp;
    if (!tcp && !Listeners.unixSocketsAvailable()) {
      LOG.log(
          Level.FINE,
          "Unix sockets unavailable, listening on TCP",
          Map.of("reason", String.valueOf(Listeners.unixSocketsUnavailabilityCause())));
      tcp = true;
    }
    return new ListenPlan(tcp, environment.ports(), environment.socketDir(), environment.socketGroup());
  }

  /** Binds and starts a server configured by {@code configure}, on event loops of its own. */
  public BoundServer bind(Consumer<NettyServerBuilder> configure) throws IOException {
    return bind(configure, Optional.empty());
  }

  /** The same on {@code shared} loops when given, which the server then does not release. */
  public BoundServer bind(Consumer<NettyServerBuilder> configure, Optional<SharedLoops> shared) throws IOException {
    return tcp
        ? Listeners.bindTcp(ports, configure, shared)
        : Listeners.bindUnix(socketDir, socketGroup, configure, shared);
  }
}
