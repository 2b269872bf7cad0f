package dev.bridge.warm;

import java.nio.file.attribute.UserPrincipal;

/** Whom the runtime serves: its own user only, as the kernel reports the peer of a connection (SO_PEERCRED). */
final class PeerCheck {
  private PeerCheck() {}

  /** Whether {@code peer} is {@code self}: the same user, compared by the JDK as uids. */
  static boolean allows(UserPrincipal peer, UserPrincipal self) {
    return peer != null && peer.equals(self);
  }
}
