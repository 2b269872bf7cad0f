package dev.bridge.plugin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AutoMtlsSetupTest {
  @Test
  void madeOnItsOwnThreadWithAFreshCertificateEachTime() throws Exception {
    var host = SelfSignedCertificate.generate(SelfSignedCertificate.GO_PLUGIN_CURVE).certificate();
    AutoMtlsSetup first = AutoMtlsSetup.await(AutoMtlsSetup.startCreating(List.of(host)));
    AutoMtlsSetup second = AutoMtlsSetup.create(List.of(host));
    assertTrue(first.server().isServer());
    assertTrue(first.brokerClient().isClient());
    assertTrue(first.server().applicationProtocolNegotiator().protocols().contains("h2"), "gRPC needs ALPN h2");
    assertFalse(first.certificateField().isEmpty());
    assertNotEquals(first.certificateField(), second.certificateField());
  }

  @Test
  void whatTheThreadFailedWithIsThrownAsItWas() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AutoMtlsSetup.await(AutoMtlsSetup.startCreating(List.of())));
    assertTrue(e.getMessage().contains("at least one trusted"), e.getMessage());
  }
}
