package dev.bridge.plugin;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What a plugin serving under AutoMTLS needs, made once per start from the host's certificates: a fresh key pair and
 * certificate, the server's TLS context, the brokered connections' client context, and the handshake's certificate
 * field.
 *
 * @param server the main server's (and brokered servers') TLS: presents the plugin's certificate, requires the host's
 * @param brokerClient the TLS of connections the plugin dials to the host
 * @param certificateField the plugin's certificate as the handshake's 6th field
 */
public record AutoMtlsSetup(SslContext server, SslContext brokerClient, String certificateField) {
  public AutoMtlsSetup {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(brokerClient, "brokerClient");
    Objects.requireNonNull(certificateField, "certificateField");
  }

  /** Makes the key, the certificate and the contexts, trusting only {@code hostCertificates}. */
  public static AutoMtlsSetup create(List<X509Certificate> hostCertificates) throws GeneralSecurityException {
    SelfSignedCertificate identity = SelfSignedCertificate.generate();
    return new AutoMtlsSetup(
        AutoMtls.serverContext(identity, hostCertificates),
        AutoMtls.clientContext(identity, hostCertificates),
        identity.handshakeField());
  }

  /**
   * Starts {@link #create} on a thread of its own, so that it overlaps what else a start does (the JavaScript engine,
   * the script): in a cold JVM about 150-200 ms of CPU, the JIT's included (a third of it on this thread).
   */
  public static CompletableFuture<AutoMtlsSetup> startCreating(List<X509Certificate> hostCertificates) {
    List<X509Certificate> trusted = List.copyOf(hostCertificates);
    CompletableFuture<AutoMtlsSetup> setup = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("bridge-automtls-setup").start(() -> {
      try {
        setup.complete(create(trusted));
      } catch (GeneralSecurityException | RuntimeException | Error e) {
        setup.completeExceptionally(e);
      }
    });
    return setup;
  }

  /** Waits for {@code pending}, with what it failed with thrown as it was. */
  static AutoMtlsSetup await(CompletableFuture<AutoMtlsSetup> pending) throws GeneralSecurityException {
    try {
      return pending.join();
    } catch (CompletionException e) {
      switch (e.getCause()) {
        case GeneralSecurityException cause -> throw cause;
        case RuntimeException cause -> throw cause;
        case Error cause -> throw cause;
        case null, default -> throw e;
      }
    }
  }
}
