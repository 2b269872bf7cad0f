package dev.bridge.plugin;

import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2SecurityUtil;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkH2SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * go-plugin's automatic mutual TLS, plugin side: the host passes its certificate in {@code PLUGIN_CLIENT_CERT}; the
 * plugin answers with a fresh certificate of its own in the handshake and accepts only connections whose client
 * certificate verifies against the host's.
 */
public final class AutoMtls {
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private AutoMtls() {}

  /**
   * A TLS 1.2+ server context presenting {@code identity} and requiring a client certificate that chains to one of
   * {@code trusted} (nothing else: not the JDK's default CAs).
   *
   * <p>It runs on the JDK's TLS rather than the BoringSSL that grpc-netty-shaded prefers: go-plugin's certificates
   * (the host's) use P-521 keys, whose signatures BoringSSL does not accept by default, so a BoringSSL server would fail
   * every TLS 1.3 handshake with a Go host (and loading BoringSSL costs more CPU than this whole set-up). The JDK's
   * SSLContext is built here, with a one-key key manager (no key store, whose key encryption took a tenth of a second)
   * and a trust manager of the host's certificates alone, and wrapped by {@link JdkH2SslContext} rather than Netty's
   * JdkSslContext, whose class initialisation reads the JDK's CA certificates.
   */
  public static SslContext serverContext(SelfSignedCertificate identity, List<X509Certificate> trusted)
      throws GeneralSecurityException {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("AutoMTLS needs at least one trusted client certificate");
    }
    return new JdkH2SslContext(sslContext(identity, trusted), false, true, PROTOCOLS, Http2SecurityUtil.CIPHERS);
  }

  /**
   * A TLS 1.2+ client context for connections the plugin dials to the host (the broker's): it presents
   * {@code identity}, the plugin's own certificate, and trusts only {@code trusted}, the host's, whose name is
   * {@code localhost} (the channel's authority, which gRPC's client checks). JDK TLS for the same reason as
   * {@link #serverContext}.
   */
  public static SslContext clientContext(SelfSignedCertificate identity, List<X509Certificate> trusted)
      throws GeneralSecurityException {
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("AutoMTLS needs at least one trusted host certificate");
    }
    return new JdkH2SslContext(sslContext(identity, trusted), true, false, PROTOCOLS, Http2SecurityUtil.CIPHERS);
  }

  private static SSLContext sslContext(SelfSignedCertificate identity, List<X509Certificate> trusted)
      throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new SingleKeyManager(identity)}, trustManagers(trusted), null);
    return context;
  }

  private static TrustManager[] trustManagers(List<X509Certificate> trusted) throws GeneralSecurityException {
    KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      roots.load(null, null);
    } catch (IOException e) {
      // Loading from no stream reads nothing, so this cannot happen; keep the cause if it somehow does.
      throw new GeneralSecurityException("could not create an in-memory key store", e);
    }
    for (int i = 0; i < trusted.size(); i++) {
      roots.setCertificateEntry("host-" + i, trusted.get(i));
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(roots);
    return trustManagers.getTrustManagers();
  }
}
