package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerCheckTest {
  @TempDir Path temp;

  @Test
  void onlyTheRuntimesOwnUserIsServed() throws IOException {
    Path socket = temp.resolve("s.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          SocketChannel accepted = server.accept()) {
        UserPrincipal peer = accepted.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
        UserPrincipal self = Files.getOwner(temp);
        assertTrue(PeerCheck.allows(peer, self), peer + " connecting to a runtime of " + self);
        UserPrincipal other = FileSystems.getDefault().getUserPrincipalLookupService()
            .lookupPrincipalByName(self.getName().equals("nobody") ? "root" : "nobody");
        assertFalse(PeerCheck.allows(peer, other), peer + " connecting to a runtime of " + other);
        assertFalse(PeerCheck.allows(null, self));
      }
    }
  }
}
