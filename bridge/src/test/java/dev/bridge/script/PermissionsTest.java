package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionsTest {
  private static Permissions net(String... hosts) {
    return new Permissions(List.of(hosts), List.of(), List.of(), List.of());
  }

  @Test
  void nothingIsReachableByDefault() {
    assertFalse(Permissions.none().allowsNet("127.0.0.1", 80));
    assertFalse(Permissions.none().allowsEnv("HOME"));
    assertFalse(Permissions.none().allowsRead(Path.of("/etc")));
    assertTrue(Permissions.none().describe().startsWith("permissions: none"));
  }

  @Test
  void aHostGrantsEveryPortAndAHostWithAPortOnlyThatOne() {
    Permissions granted = net("api.example.com", "127.0.0.1:8080");
    assertTrue(granted.allowsNet("api.example.com", 443));
    assertTrue(granted.allowsNet("API.example.com", 80));
    assertTrue(granted.allowsNet("127.0.0.1", 8080));
    assertFalse(granted.allowsNet("127.0.0.1", 8081));
    assertFalse(granted.allowsNet("example.com", 443));
  }

  @Test
  void aWildcardGrantsSubdomainsButNotTheDomainItself() {
    Permissions granted = net("*.example.org");
    assertTrue(granted.allowsNet("a.example.org", 443));
    assertTrue(granted.allowsNet("a.b.example.org", 443));
    assertFalse(granted.allowsNet("example.org", 443));
    assertFalse(granted.allowsNet("badexample.org", 443));
  }

  @Test
  void ipv6HostsInBrackets() {
    assertTrue(net("[::1]:9000").allowsNet("[::1]", 9000));
    assertTrue(net("::1").allowsNet("::1", 9000));
    assertFalse(net("[::1]:9000").allowsNet("::1", 9001));
  }

  @Test
  void aUrlOrABadPortIsRefusedByIndex() {
    var error = assertThrows(IllegalArgumentException.class, () -> net("a.com", "https://b.com/x"));
    assertTrue(error.getMessage().startsWith("net[1]: \"https://b.com/x\" is not a host"), error.getMessage());
    assertTrue(Permissions.netEntryProblem("a.com:99999").contains("not between 1 and 65535"));
    assertTrue(Permissions.netEntryProblem("a.*.com").contains("wildcard"));
  }

  @Test
  void theDenialNamesTheManifestOrTheOption() {
    assertEquals("add \"api.example.com\" to permissions.net in kv.plugin.json",
        Permissions.none().grantedIn("kv.plugin.json").howToGrant("net", "api.example.com"));
    assertEquals("run with --allow-net=api.example.com", Permissions.none().howToGrant("net", "api.example.com"));
  }

  @Test
  void directoriesGrantWhatIsWithinThem() {
    Permissions granted = new Permissions(List.of(), List.of("TOKEN"), List.of(Path.of("/etc/ssl")),
        List.of(Path.of("/var/log/x")));
    assertTrue(granted.allowsRead(Path.of("/etc/ssl/certs/a.pem")));
    assertFalse(granted.allowsRead(Path.of("/etc/ssl/../passwd")));
    assertTrue(granted.allowsRead(Path.of("/var/log/x/y")));
    assertFalse(granted.allowsWrite(Path.of("/etc/ssl/a")));
    assertTrue(granted.allowsEnv("TOKEN"));
    assertEquals("permissions: net none; env TOKEN; read /etc/ssl; write /var/log/x", granted.describe());
  }

  @Test
  void theCommandLineAddsToTheManifest() {
    Permissions both = net("a.com").grantedIn("kv.plugin.json").and(net("b.com", "a.com"));
    assertEquals(List.of("a.com", "b.com"), both.net());
    assertEquals("add \"c.com\" to permissions.net in kv.plugin.json", both.howToGrant("net", "c.com"));
  }
}
