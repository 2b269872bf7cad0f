package dev.bridge.plugin;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
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
   * A TLS 1.2+ server context presenting {@code identity} and requiring a client certificate that chains to one of
   * {@code trusted} (nothing else: not the JDK's default CAs).
   *
   * <p>It runs on the JDK's TLS rather than the BoringSSL that grpc-netty-shaded prefers: go-plugin's certificates
   * (the host's and ours) use P-521 keys, whose signatures BoringSSL does not accept by default, so a BoringSSL server
   * would fail every handshake with a Go host.
   */
  public static SslContext serverContext(SelfSignedCertificate identity, List<X509Certificate> trusted)
      throws GeneralSecurityException {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("AutoMTLS needs at least one trusted client certificate");
    }
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(keyManagers(identity))
              .trustManager(trustManagers(trusted))
              .clientAuth(ClientAuth.REQUIRE)
              .protocols("TLSv1.3", "TLSv1.2");
      return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
    } catch (SSLException e) {
      throw new GeneralSecurityException("could not set up the AutoMTLS server context: " + e.getMessage(), e);
    }
  }

  /**
   * A TLS 1.2+ client context for connections the plugin dials to the host (the broker's): it presents
   * {@code identity}, the plugin's own certificate, and trusts only {@code trusted}, the host's, whose name is
   * {@code localhost} (the channel's authority). JDK TLS for the same reason as {@link #serverContext}.
   */
  public static SslContext clientContext(SelfSignedCertificate identity, List<X509Certificate> trusted)
      throws GeneralSecurityException {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("AutoMTLS needs at least one trusted host certificate");
    }
    try {
      SslContextBuilder builder =
          SslContextBuilder.forClient()
              .keyManager(keyManagers(identity))
              .trustManager(trustManagers(trusted))
              .protocols("TLSv1.3", "TLSv1.2");
      return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
    } catch (SSLException e) {
      throw new GeneralSecurityException("could not set up the AutoMTLS client context: " + e.getMessage(), e);
    }
  }

  private static KeyManagerFactory keyManagers(SelfSignedCertificate identity) throws GeneralSecurityException {
    KeyStore keys = emptyKeyStore();
    keys.setKeyEntry("plugin", identity.privateKey(), NO_PASSWORD, new Certificate[] {identity.certificate()});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, NO_PASSWORD);
    return keyManagers;
  }

  private static TrustManagerFactory trustManagers(List<X509Certificate> trusted) throws GeneralSecurityException {
    KeyStore roots = emptyKeyStore();
    for (int i = 0; i < trusted.size(); i++) {
      roots.setCertificateEntry("host-" + i, trusted.get(i));
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(roots);
    return trustManagers;
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
