package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoMtlsTest {
  private static SelfSignedCertificate host;
  private static SelfSignedCertificate stranger;

  @TempDir Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    // The host's certificates are go-plugin's: P-521.
    host = SelfSignedCertificate.generate(SelfSignedCertificate.GO_PLUGIN_CURVE);
    stranger = SelfSignedCertificate.generate(SelfSignedCertificate.GO_PLUGIN_CURVE);
  }

  @Test
  void generatedCertificateHasGoPluginsShapeOnP256() throws Exception {
    X509Certificate cert = SelfSignedCertificate.generate().certificate();
    assertTrue(new X500Principal(cert.getSubjectX500Principal().getName()).getName().contains("CN=localhost"));
    assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
    assertTrue(cert.getBasicConstraints() >= 0, "must be a CA so the host can trust it as its own root");
    boolean[] usage = cert.getKeyUsage();
    assertTrue(usage[0] && usage[2] && usage[4] && usage[5], "digitalSignature, keyEncipherment, keyAgreement, keyCertSign");
    assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
    assertTrue(cert.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("localhost")));
    assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertNotNull(cert.getExtensionValue("2.5.29.14"), "a subject key identifier, as Go makes for a CA");
    cert.verify(cert.getPublicKey());
    cert.checkValidity();
  }

  @Test
  void hostWithItsCertificateConnectsAndHandshakeCarriesServerCertAsUnpaddedBase64Der() throws Exception {
    try (TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_CLIENT_CERT", host.certificatePem()), testOptions())) {
      String field = plugin.handshake().serverCertificate();
      assertFalse(field.isEmpty());
      assertFalse(field.contains("="), "Go's RawStdEncoding has no padding");
      assertTrue(field.matches("[A-Za-z0-9+/]+"), "standard alphabet, one line");
      X509Certificate serverCert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(field)));
      assertTrue(serverCert.getSubjectX500Principal().getName().contains("CN=localhost"));

      try (TestPlugins.Client client =
          TestPlugins.Client.connect(plugin.server().address(), credentials(host, serverCert))) {
        assertEquals(ServingStatus.SERVING, client.health("plugin"));
      }
    }
  }

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    try (TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_CLIENT_CERT", host.certificatePem()), testOptions())) {
      X509Certificate serverCert = decode(plugin.handshake().serverCertificate());
      SslContext noClientCert =
          GrpcSslContexts.configure(SslContextBuilder.forClient().trustManager(trust(serverCert)), SslProvider.JDK)
              .build();
      try (TestPlugins.Client client = TestPlugins.Client.connect(plugin.server().address(), noClientCert)) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.health("plugin"));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
      }
    }
  }

  @Test
  void clientWithAnotherCertificateIsRefused() throws Exception {
    try (TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_CLIENT_CERT", host.certificatePem()), testOptions())) {
      X509Certificate serverCert = decode(plugin.handshake().serverCertificate());
      try (TestPlugins.Client client =
          TestPlugins.Client.connect(plugin.server().address(), credentials(stranger, serverCert))) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.health("plugin"));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
      }
    }
  }

  @Test
  void plainTextClientIsRefused() throws Exception {
    try (TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_CLIENT_CERT", host.certificatePem()), testOptions());
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.server().address())) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.health("plugin"));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }
  }

  @Test
  void eachStartMakesAFreshServerCertificate() throws Exception {
    String first;
    try (TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_CLIENT_CERT", host.certificatePem()), testOptions())) {
      first = plugin.handshake().serverCertificate();
    }
    try (TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_CLIENT_CERT", host.certificatePem()), testOptions())) {
      assertFalse(first.equals(plugin.handshake().serverCertificate()));
    }
  }

  @Test
  void handshakeFieldIsTheDerWithoutPadding() throws Exception {
    String field = host.handshakeField();
    assertArrayEquals(host.certificate().getEncoded(), Base64.getDecoder().decode(field));
    assertNotNull(field);
  }

  private static X509Certificate decode(String field) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(field)));
  }

  // What a go-plugin host does: present its own certificate, trust only the plugin's, expect the name localhost.
  private static SslContext credentials(SelfSignedCertificate client, X509Certificate server) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("host", client.privateKey(), new char[0], new Certificate[] {client.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    // The JDK's TLS, like Go's, handles the P-521 keys go-plugin uses.
    return GrpcSslContexts.configure(
            SslContextBuilder.forClient().keyManager(kmf).trustManager(trust(server)), SslProvider.JDK)
        .build();
  }

  private static TrustManagerFactory trust(X509Certificate server) throws Exception {
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("plugin", server);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(roots);
    return tmf;
  }
}
