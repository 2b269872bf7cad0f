package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

class NettyJfrEventsTest {
  @Test
  void turnsThemOffUnlessTheUserChose() {
    String before = System.getProperty(NettyJfrEvents.PROPERTY);
    try {
      System.clearProperty(NettyJfrEvents.PROPERTY);
      NettyJfrEvents.offUnlessSet();
      assertEquals("false", System.getProperty(NettyJfrEvents.PROPERTY));
      System.setProperty(NettyJfrEvents.PROPERTY, "true");
      NettyJfrEvents.offUnlessSet();
      assertEquals("true", System.getProperty(NettyJfrEvents.PROPERTY));
    } finally {
      if (before == null) {
        System.clearProperty(NettyJfrEvents.PROPERTY);
      } else {
        System.setProperty(NettyJfrEvents.PROPERTY, before);
      }
    }
  }

  @Test
  void isThePropertyNettyReads() throws Exception {
    // The shaded Netty reads its renamed property: another renaming by grpc-netty-shaded would leave ours unread.
    try (var in = PlatformDependent.class.getResourceAsStream("PlatformDependent.class")) {
      String bytes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(bytes.contains(NettyJfrEvents.PROPERTY), "PlatformDependent reads " + NettyJfrEvents.PROPERTY);
    }
  }
}
