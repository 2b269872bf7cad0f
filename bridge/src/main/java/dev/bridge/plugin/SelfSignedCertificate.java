package dev.bridge.plugin;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

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

  // The X.509 algorithm identifiers of the signatures made (RFC 5758).
  private static final Map<String, String> SIGNATURE_OIDS = Map.of(
      "SHA256withECDSA", "1.2.840.10045.4.3.2",
      "SHA384withECDSA", "1.2.840.10045.4.3.3",
      "SHA512withECDSA", "1.2.840.10045.4.3.4");

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

    Instant now = Instant.now();
    BigInteger serial = new BigInteger(128, random);
    String signatureAlgorithm = signatureAlgorithm(curve);
    byte[] algorithm = Der.sequence(Der.oid(SIGNATURE_OIDS.get(signatureAlgorithm)));
    byte[] name = Der.sequence(
        Der.element(Der.SET, Der.sequence(Der.oid("2.5.4.10"), Der.utf8("bridge"))),
        Der.element(Der.SET, Der.sequence(Der.oid("2.5.4.3"), Der.utf8(HOST))));
    byte[] publicKeyInfo = keys.getPublic().getEncoded();
    byte[] tbs = Der.sequence(
        Der.element(0xa0, Der.integer(BigInteger.TWO)), // [0] version: v3
        Der.integer(serial),
        algorithm,
        name,
        Der.sequence(Der.time(now.minus(BACKDATE)), Der.time(now.plus(LIFETIME))),
        name,
        publicKeyInfo,
        Der.element(0xa3, Der.sequence( // [3] extensions
            extension("2.5.29.19", true, Der.sequence(Der.bool(true))), // basicConstraints: a CA
            // keyUsage: digitalSignature (bit 0), keyEncipherment (2), keyAgreement (4), keyCertSign (5).
            extension("2.5.29.15", true, Der.bitString(2, new byte[] {(byte) 0b1010_1100})),
            extension("2.5.29.37", false, Der.sequence( // extKeyUsage: clientAuth, serverAuth
                Der.oid("1.3.6.1.5.5.7.3.2"), Der.oid("1.3.6.1.5.5.7.3.1"))),
            extension("2.5.29.17", false, Der.sequence(Der.ascii(0x82, HOST))), // subjectAltName: dNSName
            extension("2.5.29.14", false, Der.octetString(keyIdentifier((ECPublicKey) keys.getPublic()))))));
    Signature signer = Signature.getInstance(signatureAlgorithm);
    signer.initSign(keys.getPrivate(), random);
    signer.update(tbs);
    byte[] der = Der.sequence(tbs, algorithm, Der.bitString(0, signer.sign()));
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
    return new SelfSignedCertificate(certificate, keys.getPrivate());
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  // RFC 5280's method 1, as Go makes it: SHA-1 of the public key's bits, here the uncompressed point
  // (0x04, x, y) that ends the encoded SubjectPublicKeyInfo.
  private static byte[] keyIdentifier(ECPublicKey key) throws GeneralSecurityException {
    int fieldBytes = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
    byte[] info = key.getEncoded();
    byte[] point = Arrays.copyOfRange(info, info.length - (1 + 2 * fieldBytes), info.length);
    return MessageDigest.getInstance("SHA-1").digest(point);
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
