package dev.bridge.plugin;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads the X.509 certificates of a PEM text, such as the host's AutoMTLS certificate. */
public final class PemCertificates {
  private PemCertificates() {}

  /**
   * The certificates in {@code pem}, in order.
   *
   * @throws GeneralSecurityException when the text holds no certificate or a malformed one
   */
  public static List<X509Certificate> parse(String pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    Collection<? extends Certificate> parsed =
        factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate c : parsed) {
      if (c instanceof X509Certificate x509) {
        certificates.add(x509);
      }
    }
    if (certificates.isEmpty()) {
      throw new GeneralSecurityException("no PEM CERTIFICATE block found");
    }
    return List.copyOf(certificates);
  }
}
