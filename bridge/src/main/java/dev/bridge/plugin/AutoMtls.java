package dev.bridge.plugin;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * go-plugin's automatic mutual TLS, plugin side: the host passes its certificate in {@code PLUGIN_CLIENT_CERT}; the
 * plugin answers with a fresh certificate of its own in the handshake and accepts only connections whose client
 * certificate verifies against the host's.
 */
public final class AutoMtls {
  private static final char[] NO_PASSWORD = new char[0];

  private AutoMtls() {}

  /**
   * Server credentials presenting {@code identity} and requiring a client certificate that chains to one of
   * {@code trusted} (nothing else: not the JDK's default CAs).
   */
  public static ServerCredentials serverCredentials(SelfSignedCertificate identity, List<X509Certificate> trusted)
      throws GeneralSecurityException {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("AutoMTLS needs at least one trusted client certificate");
    }
    KeyStore keys = emptyKeyStore();
    keys.setKeyEntry("plugin", identity.privateKey(), NO_PASSWORD, new Certificate[] {identity.certificate()});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, NO_PASSWORD);

    KeyStore roots = emptyKeyStore();
    for (int i = 0; i < trusted.size(); i++) {
      roots.setCertificateEntry("host-" + i, trusted.get(i));
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(roots);

    return TlsServerCredentials.newBuilder()
        .keyManager(keyManagers.getKeyManagers())
        .trustManager(trustManagers.getTrustManagers())
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      // Loading from no stream reads nothing, so this cannot happen; keep the cause if it somehow does.
      throw new GeneralSecurityException("could not create an in-memory key store", e);
    }
    return store;
  }
}
