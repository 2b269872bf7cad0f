package io.grpc.netty.shaded.io.netty.handler.ssl;

import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;

/**
 * A Netty context around a JDK {@link SSLContext}, for gRPC over HTTP/2 only (ALPN {@code h2}, through the JDK's own
 * ALPN API), that does not touch Netty's {@link JdkSslContext}.
 *
 * <p>Why: {@link JdkSslContext}'s class initialisation (and that of Netty's JDK ALPN support) initialises a JDK
 * SSLContext with the JDK's default trust managers, which reads the JDK's CA certificates (cacerts): about 110 ms of
 * CPU in a cold plugin, for certificates AutoMTLS never uses (it trusts the host's certificate alone). This class is
 * in Netty's package because gRPC learns the negotiated protocol through {@link SslHandler#applicationProtocol()},
 * which reads it from an engine implementing Netty's package-private {@link ApplicationProtocolAccessor}.
 */
public final class JdkH2SslContext extends SslContext {
  private static final String H2 = ApplicationProtocolNames.HTTP_2;
  private static final ApplicationProtocolNegotiator NEGOTIATOR = () -> List.of(H2);

  private final SSLContext context;
  private final boolean client;
  private final boolean requireClientCertificate;
  private final String[] protocols;
  private final String[] cipherSuites;

  /**
   * @param context an initialised JDK context
   * @param client whether engines act as the client of the handshake
   * @param requireClientCertificate for a server: whether the client must present a certificate
   * @param protocols the TLS versions enabled, e.g. {@code TLSv1.3}
   * @param preferredCipherSuites the suites wanted, in order; those the JDK does not support are left out
   */
  public JdkH2SslContext(SSLContext context, boolean client, boolean requireClientCertificate, List<String> protocols,
      List<String> preferredCipherSuites) {
    this.context = Objects.requireNonNull(context, "context");
    this.client = client;
    this.requireClientCertificate = requireClientCertificate;
    this.protocols = protocols.toArray(String[]::new);
    Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
    List<String> usable = new ArrayList<>();
    for (String suite : preferredCipherSuites) {
      if (supported.contains(suite)) {
        usable.add(suite);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("none of the cipher suites " + preferredCipherSuites
          + " is supported by the JDK's TLS (" + context.getProvider().getName() + ")");
    }
    this.cipherSuites = usable.toArray(String[]::new);
  }

  @Override
  public boolean isClient() {
    return client;
  }

  @Override
  public List<String> cipherSuites() {
    return List.of(cipherSuites);
  }

  @Override
  @SuppressWarnings("deprecation")
  public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
    return NEGOTIATOR;
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc) {
    return configure(context.createSSLEngine());
  }

  @Override
  public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
    return configure(context.createSSLEngine(peerHost, peerPort));
  }

  @Override
  public SSLSessionContext sessionContext() {
    return client ? context.getClientSessionContext() : context.getServerSessionContext();
  }

  private SSLEngine configure(SSLEngine engine) {
    engine.setUseClientMode(client);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(protocols);
    parameters.setCipherSuites(cipherSuites);
    parameters.setApplicationProtocols(new String[] {H2});
    if (!client) {
      parameters.setNeedClientAuth(requireClientCertificate);
    }
    engine.setSSLParameters(parameters);
    return new H2Engine(engine);
  }

  /** The engine as gRPC asks it for the protocol ALPN settled on: the JDK's answer. */
  private static final class H2Engine extends JdkSslEngine {
    H2Engine(SSLEngine engine) {
      super(engine);
    }

    @Override
    public String getNegotiatedApplicationProtocol() {
      return getWrappedEngine().getApplicationProtocol();
    }

    @Override
    public String getApplicationProtocol() {
      return getWrappedEngine().getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
      return getWrappedEngine().getHandshakeApplicationProtocol();
    }
  }
}
