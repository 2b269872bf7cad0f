package dev.bridge.script;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The JDK's side of {@code crypto.subtle}'s keys beyond HMAC ({@link SubtleCryptoPrelude}): AES-GCM, ECDSA on P-256
 * and Ed25519. Private keys travel as PKCS #8, public keys as SPKI (X.509), bytes as Latin-1 strings as in
 * {@link CryptoPrelude}. A key that does not parse, or a tag that does not verify, answers null: the script side
 * throws the web's error for it. {@code kind} is {@code "EC"} (P-256) or {@code "Ed25519"}.
 */
final class SubtleCryptoHost {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ECParameterSpec P256 = p256();
  /** The SPKI of an Ed25519 key is this prefix and the 32 bytes of the key (RFC 8410). */
  private static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");

  private SubtleCryptoHost() {}

  static ProxyObject proxy() {
    Map<String, Object> functions = new HashMap<>();
    functions.put("aesGcm", (ProxyExecutable) a -> binary(aesGcm(a[0].asBoolean(), bytes(a[1]), bytes(a[2]), bytes(a[3]),
        bytes(a[4]), a[5].asInt())));
    functions.put("generate", (ProxyExecutable) a -> {
      KeyPair pair = generate(a[0].asString());
      return ProxyArray.fromArray(binary(pair.getPrivate().getEncoded()), binary(pair.getPublic().getEncoded()));
    });
    functions.put("sign", (ProxyExecutable) a -> binary(sign(a[0].asString(), bytes(a[1]), bytes(a[2]), a[3].asString())));
    functions.put("verify", (ProxyExecutable) a -> verify(a[0].asString(), bytes(a[1]), bytes(a[2]), bytes(a[3]),
        a[4].asString()));
    functions.put("publicKey", (ProxyExecutable) a -> binary(orNull(() -> publicKey(a[0].asString(), bytes(a[1])).getEncoded())));
    functions.put("privateKey", (ProxyExecutable) a -> binary(orNull(() -> privateKey(a[0].asString(), bytes(a[1])).getEncoded())));
    functions.put("ecPublic", (ProxyExecutable) a -> binary(orNull(() -> ecPublic(bytes(a[0]), bytes(a[1])))));
    functions.put("ecPoint", (ProxyExecutable) a -> binary(ecPoint(bytes(a[0]))));
    functions.put("ecPrivate", (ProxyExecutable) a -> binary(orNull(() -> ecPrivate(bytes(a[0])))));
    functions.put("ecScalar", (ProxyExecutable) a -> binary(ecScalar(bytes(a[0]))));
    functions.put("edPublic", (ProxyExecutable) a -> binary(orNull(() -> edPublic(bytes(a[0])))));
    functions.put("edPublicRaw", (ProxyExecutable) a -> binary(edPublicRaw(bytes(a[0]))));
    functions.put("edPrivate", (ProxyExecutable) a -> binary(orNull(() -> edPrivate(bytes(a[0])))));
    functions.put("edSeed", (ProxyExecutable) a -> binary(edSeed(bytes(a[0]))));
    return ProxyObject.fromMap(functions);
  }

  /** AES-GCM with a {@code tagBits} tag; null when decrypting finds the tag wrong. */
  static byte[] aesGcm(boolean encrypt, byte[] key, byte[] iv, byte[] data, byte[] aad, int tagBits) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(tagBits, iv));
      cipher.updateAAD(aad);
      return cipher.doFinal(data);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("AES-GCM: " + e.getMessage(), e);
    }
  }

  static KeyPair generate(String kind) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(kind.equals("EC") ? "EC" : "Ed25519");
      if (kind.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(kind + " keys: " + e.getMessage(), e);
    }
  }

  /** ECDSA signatures are r and s of 32 bytes each (IEEE P1363), as the web's are, not DER. */
  static byte[] sign(String kind, byte[] pkcs8, byte[] data, String hash) {
    try {
      Signature signature = Signature.getInstance(algorithm(kind, hash));
      signature.initSign(privateKey(kind, pkcs8));
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(kind + " sign: " + e.getMessage(), e);
    }
  }

  static boolean verify(String kind, byte[] spki, byte[] signatureBytes, byte[] data, String hash) {
    try {
      Signature signature = Signature.getInstance(algorithm(kind, hash));
      signature.initVerify(publicKey(kind, spki));
      signature.update(data);
      return signature.verify(signatureBytes);
    } catch (java.security.SignatureException e) {
      return false;  // a signature of the wrong length or shape verifies nothing
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(kind + " verify: " + e.getMessage(), e);
    }
  }

  private static String algorithm(String kind, String hash) {
    return kind.equals("EC") ? hash.replace("-", "") + "withECDSAinP1363Format" : "Ed25519";
  }

  /** A public key from its SPKI, checked to be of the kind (and, for EC, on P-256). */
  static PublicKey publicKey(String kind, byte[] spki) throws GeneralSecurityException {
    PublicKey key = factory(kind).generatePublic(new X509EncodedKeySpec(spki));
    if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new GeneralSecurityException("not a P-256 key");
    }
    return key;
  }

  static PrivateKey privateKey(String kind, byte[] pkcs8) throws GeneralSecurityException {
    PrivateKey key = factory(kind).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    if (key instanceof ECPrivateKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new GeneralSecurityException("not a P-256 key");
    }
    return key;
  }

  /** The SPKI of the P-256 point (x, y), each 32 bytes; the JDK refuses a point off the curve. */
  static byte[] ecPublic(byte[] x, byte[] y) throws GeneralSecurityException {
    ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
    if (!onCurve(point)) {
      throw new GeneralSecurityException("the point is not on P-256");
    }
    return factory("EC").generatePublic(new ECPublicKeySpec(point, P256)).getEncoded();
  }

  /** x and y (32 bytes each, concatenated) of a P-256 public key's SPKI. */
  static byte[] ecPoint(byte[] spki) {
    try {
      ECPoint w = ((ECPublicKey) publicKey("EC", spki)).getW();
      byte[] out = new byte[64];
      System.arraycopy(fixed(w.getAffineX()), 0, out, 0, 32);
      System.arraycopy(fixed(w.getAffineY()), 0, out, 32, 32);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("EC key: " + e.getMessage(), e);
    }
  }

  static byte[] ecPrivate(byte[] d) throws GeneralSecurityException {
    BigInteger s = new BigInteger(1, d);
    if (s.signum() == 0 || s.compareTo(P256.getOrder()) >= 0) {
      throw new GeneralSecurityException("d is out of range");
    }
    return factory("EC").generatePrivate(new ECPrivateKeySpec(s, P256)).getEncoded();
  }

  static byte[] ecScalar(byte[] pkcs8) {
    try {
      return fixed(((ECPrivateKey) privateKey("EC", pkcs8)).getS());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("EC key: " + e.getMessage(), e);
    }
  }

  /** The SPKI of a raw Ed25519 public key (32 bytes). */
  static byte[] edPublic(byte[] raw) throws GeneralSecurityException {
    if (raw.length != 32) {
      throw new GeneralSecurityException("an Ed25519 public key has 32 bytes");
    }
    byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
    return publicKey("Ed25519", spki).getEncoded();
  }

  static byte[] edPublicRaw(byte[] spki) {
    try {
      byte[] canonical = publicKey("Ed25519", spki).getEncoded();
      return Arrays.copyOfRange(canonical, canonical.length - 32, canonical.length);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Ed25519 key: " + e.getMessage(), e);
    }
  }

  /** The PKCS #8 of an Ed25519 private key given as its 32-byte seed (JWK's d). */
  static byte[] edPrivate(byte[] seed) throws GeneralSecurityException {
    if (seed.length != 32) {
      throw new GeneralSecurityException("an Ed25519 private key has 32 bytes");
    }
    return factory("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)).getEncoded();
  }

  static byte[] edSeed(byte[] pkcs8) {
    try {
      return ((EdECPrivateKey) privateKey("Ed25519", pkcs8)).getBytes().orElseThrow();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Ed25519 key: " + e.getMessage(), e);
    }
  }

  private static KeyFactory factory(String kind) throws GeneralSecurityException {
    return KeyFactory.getInstance(kind.equals("EC") ? "EC" : "Ed25519");
  }

  /** y² = x³ - 3x + b over P-256's field. */
  private static boolean onCurve(ECPoint point) {
    BigInteger p = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
    return y.pow(2).mod(p).equals(right);
  }

  private static byte[] fixed(BigInteger n) {
    byte[] b = n.toByteArray();
    byte[] out = new byte[32];
    int take = Math.min(b.length, 32);
    System.arraycopy(b, b.length - take, out, 32 - take, take);
    return out;
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private interface Parse {
    byte[] get() throws GeneralSecurityException;
  }

  private static byte[] orNull(Parse parse) {
    try {
      return parse.get();
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      return null;
    }
  }

  private static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }

  private static byte[] bytes(Value binary) {
    return binary.asString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String binary(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
