package dev.bridge.plugin;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one key and its certificate, both ways (server and client), to whoever asks for a key of its algorithm.
 *
 * <p>Instead of a KeyStore and a KeyManagerFactory: a PKCS12 key store encrypts a key it is given (10,000 rounds of
 * PBKDF2), which cost about a tenth of a second of every AutoMTLS start.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "plugin";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  SingleKeyManager(SelfSignedCertificate identity) {
    this.key = identity.privateKey();
    this.chain = new X509Certificate[] {identity.certificate()};
  }

  // The JDK names key types "EC", "RSA", ..., and for some TLS 1.2 suites "EC_EC" (an EC key signed with EC).
  private boolean fits(String keyType) {
    String algorithm = key.getAlgorithm();
    return keyType != null && (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_"));
  }

  private String aliasFor(String... keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (fits(keyType)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
