package dev.bridge.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SingleKeyManagerTest {
  private static SelfSignedCertificate identity;

  @BeforeAll
  static void identity() throws Exception {
    identity = SelfSignedCertificate.generate();
  }

  @Test
  void offersItsKeyForItsAlgorithmBothWays() {
    SingleKeyManager keys = new SingleKeyManager(identity);
    String server = keys.chooseEngineServerAlias("EC", null, null);
    String client = keys.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null);
    assertEquals(server, client);
    assertSame(identity.privateKey(), keys.getPrivateKey(server));
    assertArrayEquals(new X509Certificate[] {identity.certificate()}, keys.getCertificateChain(server));
    assertEquals(server, keys.chooseServerAlias("EC_EC", null, null), "TLS 1.2's EC key signed with EC");
    assertArrayEquals(new String[] {server}, keys.getClientAliases("EC", null));
  }

  @Test
  void offersNothingForAnotherAlgorithmOrAlias() {
    SingleKeyManager keys = new SingleKeyManager(identity);
    assertNull(keys.chooseEngineServerAlias("RSA", null, null));
    assertNull(keys.chooseEngineServerAlias("ECX", null, null));
    assertNull(keys.chooseEngineClientAlias(new String[] {"RSA", "RSASSA-PSS"}, null, null));
    assertNull(keys.chooseClientAlias(null, null, null));
    assertNull(keys.getServerAliases("Ed25519", null));
    assertNull(keys.getPrivateKey("someone"));
    assertNull(keys.getCertificateChain("someone"));
  }
}
