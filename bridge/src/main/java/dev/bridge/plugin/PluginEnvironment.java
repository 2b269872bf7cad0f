package dev.bridge.plugin;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the host told this plugin through the environment, checked and parsed once at start-up so that the rest
 * of the program never looks at raw variables.
 *
 * @param negotiated the app protocol version to announce (see {@link ProtocolVersions})
 * @param ports TCP ports the plugin may listen on, when it listens on TCP
 * @param socketDir the directory for the Unix socket: {@code PLUGIN_UNIX_SOCKET_DIR}, else {@code TMPDIR}, else the
 *     JVM's temp dir
 * @param socketGroup the group to hand the Unix socket to ({@code PLUGIN_UNIX_SOCKET_GROUP}), if any
 * @param clientCertificates the host's AutoMTLS certificate(s) ({@code PLUGIN_CLIENT_CERT}); empty means plain text
 * @param multiplexRequested whether a newer host asked for gRPC broker multiplexing ({@code PLUGIN_MULTIPLEX_GRPC}
 *     true, read as Go's {@code strconv.ParseBool} reads it): one yamux session on the one connection, announced by
 *     the handshake's seventh field
 */
public record PluginEnvironment(
    ProtocolVersions.Negotiated negotiated,
    PortRange ports,
    Path socketDir,
    Optional<GroupPrincipal> socketGroup,
    List<X509Certificate> clientCertificates,
    boolean multiplexRequested) {

  public static final String UNIX_SOCKET_DIR_ENV = "PLUGIN_UNIX_SOCKET_DIR";
  public static final String UNIX_SOCKET_GROUP_ENV = "PLUGIN_UNIX_SOCKET_GROUP";
  public static final String CLIENT_CERT_ENV = "PLUGIN_CLIENT_CERT";
  public static final String MULTIPLEX_ENV = "PLUGIN_MULTIPLEX_GRPC";
  static final String TMPDIR_ENV = "TMPDIR";

  public PluginEnvironment {
    Objects.requireNonNull(negotiated, "negotiated");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(socketDir, "socketDir");
    Objects.requireNonNull(socketGroup, "socketGroup");
    clientCertificates = List.copyOf(clientCertificates);
  }

  /** The app protocol version to announce in the handshake. */
  public int appProtocolVersion() {
    return negotiated.version();
  }

  /** Whether the host asked for AutoMTLS. */
  public boolean autoMtls() {
    return !clientCertificates.isEmpty();
  }

  /**
   * Checks the cookie, then parses the rest.
   *
   * @throws NotLaunchedByHostException when the magic cookie is missing or wrong (checked first, so a person running
   *     the binary by hand gets the friendly message rather than a complaint about some other variable)
   * @throws InvalidEnvironmentException when a variable holds something unusable; the message names it
   */
  public static PluginEnvironment read(HandshakeConfig handshake, Map<String, String> env)
      throws NotLaunchedByHostException {
    checkCookie(handshake, env);
    ProtocolVersions.Negotiated negotiated =
        ProtocolVersions.negotiate(handshake.appProtocolVersions(), env.get(ProtocolVersions.ENV));
    PortRange ports = PortRange.fromEnv(env);
    Path socketDir = socketDir(env);
    Optional<GroupPrincipal> group = socketGroup(env);
    List<X509Certificate> clientCerts = clientCertificates(env);
    String multiplex = env.get(MULTIPLEX_ENV);
    return new PluginEnvironment(negotiated, ports, socketDir, group, clientCerts, goTrue(multiplex));
  }

  /** Only the cookie check, for callers that want to fail fast before doing anything else. */
  public static void checkCookie(HandshakeConfig handshake, Map<String, String> env)
      throws NotLaunchedByHostException {
    String value = env.get(handshake.magicCookieKey());
    if (handshake.accepts(value)) {
      return;
    }
    throw new NotLaunchedByHostException(handshake.magicCookieKey(),
        value == null ? NotLaunchedByHostException.Found.UNSET
            : value.isEmpty() ? NotLaunchedByHostException.Found.EMPTY
            : NotLaunchedByHostException.Found.OTHER_VALUE);
  }

  /**
   * Whether a go-plugin host looks to have launched this process, whatever its cookie: every host since go-plugin
   * 1.0 sets {@code PLUGIN_PROTOCOL_VERSIONS}. A refusal is then said as a log line the host shows, not as text
   * for a person.
   */
  public static boolean looksLaunchedByHost(Map<String, String> env) {
    return env.containsKey(ProtocolVersions.ENV);
  }

  /** As go-plugin's server reads the variable, with Go's strconv.ParseBool: anything else is false. */
  private static boolean goTrue(String value) {
    return value != null && List.of("1", "t", "T", "true", "TRUE", "True").contains(value);
  }

  private static Path socketDir(Map<String, String> env) {
    String variable = UNIX_SOCKET_DIR_ENV;
    String raw = env.get(variable);
    if (raw == null || raw.isEmpty()) {
      // Go's os.TempDir honours TMPDIR; the JVM's java.io.tmpdir does not, so look at it ourselves.
      variable = TMPDIR_ENV;
      raw = env.get(variable);
    }
    if (raw == null || raw.isEmpty()) {
      return Path.of(System.getProperty("java.io.tmpdir"));
    }
    Path dir;
    try {
      dir = Path.of(raw);
    } catch (InvalidPathException e) {
      throw new InvalidEnvironmentException(variable, raw, "not a valid path", e);
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidEnvironmentException(variable, raw, "not an existing directory");
    }
    return dir;
  }

  private static Optional<GroupPrincipal> socketGroup(Map<String, String> env) {
    String raw = env.get(UNIX_SOCKET_GROUP_ENV);
    if (raw == null || raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      // The JDK's lookup tries the name first and falls back to reading it as a numeric gid, the reverse of
      // go-plugin's order; they differ only for a group whose name is another group's number.
      return Optional.of(
          FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(raw.strip()));
    } catch (IOException | UnsupportedOperationException e) {
      throw new InvalidEnvironmentException(UNIX_SOCKET_GROUP_ENV, raw, "no such group name or gid", e);
    }
  }

  private static List<X509Certificate> clientCertificates(Map<String, String> env) {
    String raw = env.get(CLIENT_CERT_ENV);
    if (raw == null || raw.isEmpty()) {
      return List.of();
    }
    try {
      return PemCertificates.parse(raw);
    } catch (GeneralSecurityException e) {
      throw new InvalidEnvironmentException(CLIENT_CERT_ENV, raw, "not a PEM certificate: " + e.getMessage(), e);
    }
  }
}
