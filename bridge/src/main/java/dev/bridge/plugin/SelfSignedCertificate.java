package dev.bridge.plugin;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate for AutoMTLS, shaped like the one go-plugin generates on both sides (mtls.go): ECDSA,
 * subject and DNS name {@code localhost} (the name go-plugin hosts verify), a CA flag so the peer can use the
 * certificate itself as its trust root, usable for both client and server authentication.
 *
 * <p>go-plugin's own keys are P-521; the plugin's are P-256 ({@link #PLUGIN_CURVE}): a go-plugin host trusts the
 * plugin's certificate as it is (its tls.Config has it as the only root and names {@code localhost}, nothing about the
 * key), Go's TLS accepts ECDSA on P-256, and P-256 keys are made, and sign each TLS handshake, several times faster.
 */
public record SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey) {
  static final String HOST = "localhost";
  // go-plugin's certificates are valid from 30 s ago (to absorb clock skew) for 262980 hours (30 years).
  private static final Duration BACKDATE = Duration.ofSeconds(30);
  private static final Duration LIFETIME = Duration.ofHours(262_980);

  /** The curve of the plugin's keys. */
  public static final String PLUGIN_CURVE = "secp256r1";
  /** The curve of go-plugin's keys, the host's. */
  public static final String GO_PLUGIN_CURVE = "secp521r1";

  /** Generates a new key pair on {@link #PLUGIN_CURVE} and its certificate. */
  public static SelfSignedCertificate generate() throws GeneralSecurityException {
    return generate(PLUGIN_CURVE);
  }

  /** Generates a new key pair on {@code curve} (a JDK name: {@code secp256r1}, ...) and its certificate. */
  public static SelfSignedCertificate generate(String curve) throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve), random);
    KeyPair keys = generator.generateKeyPair();

    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "bridge").addRDN(BCStyle.CN, HOST).build();
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(128, random);
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial,
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(LIFETIME)),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              KeyUsage.digitalSignature
                  | KeyUsage.keyEncipherment
                  | KeyUsage.keyAgreement
                  | KeyUsage.keyCertSign));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
      builder.addExtension(
          Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, HOST)));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(curve)).build(keys.getPrivate());
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
      return new SelfSignedCertificate(certificate, keys.getPrivate());
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("could not build the AutoMTLS certificate", e);
    }
  }

  // The digest that matches the curve's strength, as Go's x509 picks for ECDSA keys.
  private static String signatureAlgorithm(String curve) {
    return switch (curve) {
      case "secp384r1" -> "SHA384withECDSA";
      case "secp521r1" -> "SHA512withECDSA";
      default -> "SHA256withECDSA";
    };
  }

  /**
   * The certificate as the 6th handshake field: DER in standard base64 without padding, because the handshake is one
   * line and go-plugin hosts decode it with Go's RawStdEncoding.
   */
  public String handshakeField() throws GeneralSecurityException {
    return Base64.getEncoder().withoutPadding().encodeToString(certificate.getEncoded());
  }

  /** The certificate in PEM, as a host passes its own in {@code PLUGIN_CLIENT_CERT}. */
  public String certificatePem() throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
