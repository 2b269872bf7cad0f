package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.HANDSHAKE;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginEnvironmentTest {
  @TempDir Path dir;

  private NotLaunchedByHostException refusal(HandshakeConfig handshake, Map<String, String> env) {
    return assertThrows(NotLaunchedByHostException.class, () -> PluginEnvironment.read(handshake, env));
  }

  /** Every refusal names the variable, says what it held, never shows a value, and points a person to call. */
  private static void assertSays(NotLaunchedByHostException e, String how, String... neverShown) {
    assertEquals(TestPlugins.COOKIE_KEY, e.cookieKey());
    String person = e.forPerson("shop/shop.js");
    String host = e.forHost();
    for (String message : List.of(e.getMessage(), person, host)) {
      assertTrue(message.contains(TestPlugins.COOKIE_KEY), message);
      assertTrue(message.contains(how), message);
      for (String value : neverShown) {
        assertFalse(message.contains(value), "shows the value " + value + ": " + message);
      }
    }
    // Read as a Go plugin's refusal first, then how to run a handler without a host.
    assertTrue(person.startsWith("This binary is a plugin. These are not meant to be executed directly."), person);
    assertTrue(person.contains("bridgejs call shop/shop.js METHOD [JSON]"), person);
    assertTrue(host.startsWith("refusing to serve: "), host);
  }

  @Test
  void anUnsetCookieIsRefusedSayingItIsNotSet() {
    Map<String, String> env = hostEnv(dir);
    env.remove(TestPlugins.COOKIE_KEY);
    NotLaunchedByHostException e = refusal(HANDSHAKE, env);
    assertEquals(NotLaunchedByHostException.Found.UNSET, e.found());
    assertSays(e, "is not set", TestPlugins.COOKIE_VALUE);
    assertTrue(e.forHost().contains("handshake.magicCookieKey"), e.forHost());
  }

  @Test
  void anotherValueIsRefusedWithoutShowingEitherValue() {
    NotLaunchedByHostException e = refusal(HANDSHAKE, hostEnv(dir, TestPlugins.COOKIE_KEY, "s3cr3t-of-the-host"));
    assertEquals(NotLaunchedByHostException.Found.OTHER_VALUE, e.found());
    assertSays(e, "holds another value", TestPlugins.COOKIE_VALUE, "s3cr3t-of-the-host");
    assertTrue(e.forHost().contains("handshake.magicCookieValue") && e.forHost().contains("\"*\""), e.forHost());
  }

  @Test
  void anEmptyValueIsRefusedSayingItIsEmpty() {
    NotLaunchedByHostException e = refusal(HANDSHAKE, hostEnv(dir, TestPlugins.COOKIE_KEY, ""));
    assertSays(e, "is set but empty", TestPlugins.COOKIE_VALUE);
  }

  @Test
  void aStarAcceptsAnyNonEmptyValueButNotNone() throws Exception {
    HandshakeConfig any = new HandshakeConfig(TestPlugins.COOKIE_KEY, "*", List.of(1, 2));
    for (String value : List.of("a", "*", "0d1f5e9c-random-per-launch", TestPlugins.COOKIE_VALUE)) {
      assertEquals(2, PluginEnvironment.read(any, hostEnv(dir, TestPlugins.COOKIE_KEY, value)).appProtocolVersion());
    }
    assertSays(refusal(any, hostEnv(dir, TestPlugins.COOKIE_KEY, "")), "is set but empty");
    Map<String, String> unset = hostEnv(dir);
    unset.remove(TestPlugins.COOKIE_KEY);
    assertSays(refusal(any, unset), "is not set");
  }

  @Test
  void aHostIsRecognisedByTheVersionsItOffers() {
    assertTrue(PluginEnvironment.looksLaunchedByHost(hostEnv(dir)));
    assertFalse(PluginEnvironment.looksLaunchedByHost(Map.of(TestPlugins.COOKIE_KEY, TestPlugins.COOKIE_VALUE)));
  }

  @Test
  void wrongCookieIsRefusedBeforeAnyOtherVariableIsLookedAt() {
    Map<String, String> env = hostEnv(dir, TestPlugins.COOKIE_KEY, "nope", "PLUGIN_MIN_PORT", "junk");
    assertThrows(NotLaunchedByHostException.class, () -> PluginEnvironment.read(HANDSHAKE, env));
  }

  @Test
  void aHostsEnvironmentIsReadWithDefaults() throws Exception {
    PluginEnvironment env = PluginEnvironment.read(HANDSHAKE, hostEnv(dir));
    assertEquals(2, env.appProtocolVersion());
    assertTrue(env.negotiated().agreed());
    assertEquals(new PortRange(0, 0), env.ports());
    assertEquals(dir, env.socketDir());
    assertEquals(Optional.empty(), env.socketGroup());
    assertFalse(env.autoMtls());
    assertFalse(env.multiplexRequested());
  }

  @Test
  void socketDirFallsBackToTmpdir() throws Exception {
    Map<String, String> env = hostEnv(dir);
    env.remove("PLUGIN_UNIX_SOCKET_DIR");
    env.put("TMPDIR", dir.toString());
    assertEquals(dir, PluginEnvironment.read(HANDSHAKE, env).socketDir());
    env.remove("TMPDIR");
    assertEquals(Path.of(System.getProperty("java.io.tmpdir")), PluginEnvironment.read(HANDSHAKE, env).socketDir());
  }

  @Test
  void portRangeIsRead() throws Exception {
    PluginEnvironment env =
        PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MIN_PORT", "10000", "PLUGIN_MAX_PORT", "25000"));
    assertEquals(new PortRange(10000, 25000), env.ports());
  }

  @Test
  void unparseablePortNamesTheVariableAndValue() {
    InvalidEnvironmentException e =
        assertThrows(
            InvalidEnvironmentException.class,
            () -> PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MAX_PORT", "12ab")));
    assertEquals("PLUGIN_MAX_PORT", e.variable());
    assertTrue(e.getMessage().contains("PLUGIN_MAX_PORT") && e.getMessage().contains("12ab"), e.getMessage());
  }

  @Test
  void outOfRangePortIsRefused() {
    InvalidEnvironmentException e =
        assertThrows(
            InvalidEnvironmentException.class,
            () -> PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MIN_PORT", "-1")));
    assertEquals("PLUGIN_MIN_PORT", e.variable());
    e =
        assertThrows(
            InvalidEnvironmentException.class,
            () -> PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MAX_PORT", "70000")));
    assertEquals("PLUGIN_MAX_PORT", e.variable());
  }

  @Test
  void minAboveMaxIsRefusedNamingBoth() {
    InvalidEnvironmentException e =
        assertThrows(
            InvalidEnvironmentException.class,
            () -> PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MIN_PORT", "2000", "PLUGIN_MAX_PORT", "1000")));
    assertTrue(e.getMessage().contains("PLUGIN_MIN_PORT") && e.getMessage().contains("PLUGIN_MAX_PORT"), e.getMessage());
  }

  @Test
  void onlyMinPortSetMeansNoUsablePortLikeGoPlugin() {
    // go-plugin reads an unset maximum as 0, so a minimum alone leaves an empty range.
    assertThrows(
        InvalidEnvironmentException.class,
        () -> PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MIN_PORT", "1000")));
  }

  @Test
  void missingSocketDirIsRefusedNamingTheVariable() {
    InvalidEnvironmentException e =
        assertThrows(
            InvalidEnvironmentException.class,
            () ->
                PluginEnvironment.read(
                    HANDSHAKE, hostEnv(dir, "PLUGIN_UNIX_SOCKET_DIR", dir.resolve("absent").toString())));
    assertEquals("PLUGIN_UNIX_SOCKET_DIR", e.variable());
  }

  @Test
  void unknownSocketGroupIsRefusedNamingTheVariable() {
    InvalidEnvironmentException e =
        assertThrows(
            InvalidEnvironmentException.class,
            () ->
                PluginEnvironment.read(
                    HANDSHAKE, hostEnv(dir, "PLUGIN_UNIX_SOCKET_GROUP", "no-such-group-bridge-test")));
    assertEquals("PLUGIN_UNIX_SOCKET_GROUP", e.variable());
    assertTrue(e.getMessage().contains("no-such-group-bridge-test"), e.getMessage());
  }

  @Test
  void socketGroupByNameOrNumberIsResolved() throws Exception {
    String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
    PluginEnvironment byName = PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_UNIX_SOCKET_GROUP", group));
    assertEquals(group, byName.socketGroup().orElseThrow().getName());
    int gid = (Integer) Files.getAttribute(dir, "unix:gid");
    PluginEnvironment byGid =
        PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_UNIX_SOCKET_GROUP", Integer.toString(gid)));
    assertTrue(byGid.socketGroup().isPresent());
  }

  @Test
  void clientCertificateIsParsedFromPem() throws Exception {
    String pem = SelfSignedCertificate.generate().certificatePem();
    PluginEnvironment env = PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_CLIENT_CERT", pem));
    assertTrue(env.autoMtls());
    assertEquals(1, env.clientCertificates().size());
  }

  @Test
  void garbageClientCertificateIsRefusedNamingTheVariable() {
    InvalidEnvironmentException e =
        assertThrows(
            InvalidEnvironmentException.class,
            () -> PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")));
    assertEquals("PLUGIN_CLIENT_CERT", e.variable());
    assertTrue(e.getMessage().contains("PLUGIN_CLIENT_CERT"), e.getMessage());
  }

  @Test
  void multiplexRequestIsNoticed() throws Exception {
    assertTrue(PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "true")).multiplexRequested());
    assertTrue(PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "1")).multiplexRequested());
  }

  @Test
  void multiplexIsReadAsGoReadsABool() throws Exception {
    assertFalse(PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "false")).multiplexRequested());
    assertFalse(PluginEnvironment.read(HANDSHAKE, hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "yes")).multiplexRequested());
  }

  @Test
  void handshakeConfigIsValidated() {
    assertThrows(IllegalArgumentException.class, () -> new HandshakeConfig("", "v", List.of(1)));
    assertThrows(IllegalArgumentException.class, () -> new HandshakeConfig("K", "", List.of(1)));
    assertThrows(IllegalArgumentException.class, () -> new HandshakeConfig("K", "v", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new HandshakeConfig("K", "v", List.of(0)));
    assertThrows(IllegalArgumentException.class, () -> new HandshakeConfig("K=", "v", List.of(1)));
    assertEquals(List.of(3), HandshakeConfig.of("K", "v", 3).appProtocolVersions());
  }
}
