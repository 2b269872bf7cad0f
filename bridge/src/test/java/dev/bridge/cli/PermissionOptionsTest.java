package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The manifest's "permissions" and the --allow-* options. */
class PermissionOptionsTest {
  @TempDir Path dir;

  private Path manifest(String permissions) throws Exception {
    return Files.writeString(dir.resolve("p.plugin.json"), "{\"proto\": \"p.proto\", \"permissions\": " + permissions + "}");
  }

  @Test
  void theManifestGrantsHostsVariablesAndDirectoriesRelativeToIt() throws Exception {
    Path file = manifest("{\"net\": [\"api.example.com\", \"127.0.0.1:8080\", \"*.example.org\"], \"env\": [\"API_TOKEN\"],"
        + " \"read\": [\"/etc/ssl\"], \"write\": [\"logs\"]}");
    var permissions = PluginManifest.read(file).permissions();
    assertEquals(List.of("api.example.com", "127.0.0.1:8080", "*.example.org"), permissions.net());
    assertEquals(List.of("API_TOKEN"), permissions.env());
    assertEquals(List.of(Path.of("/etc/ssl")), permissions.read());
    assertEquals(List.of(dir.toAbsolutePath().resolve("logs")), permissions.write());
    assertEquals("add \"x.com\" to permissions.net in p.plugin.json", permissions.howToGrant("net", "x.com"));
  }

  @Test
  void aBadEntryIsNamedByItsPath() throws Exception {
    Path file = manifest("{\"net\": [\"a.com\", \"b.com\", \"https://c.com/\"]}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:64: field \"permissions.net[2]\": \"https://c.com/\" is not a host: give a host, host:port or "
        + "*.domain, without scheme or path", error.getMessage());
  }

  @Test
  void aWrongTypeIsNamedByItsPath() throws Exception {
    Path file = manifest("{\"env\": [\"A\", 3]}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:51: field \"permissions.env[1]\" must be a string, not 3", error.getMessage());
  }

  @Test
  void aMisspelledKindIsRefused() throws Exception {
    Path file = manifest("{\"nett\": []}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:46: unknown field \"permissions.nett\" (did you mean \"net\"? known: env, net, read, write)",
        error.getMessage());
  }

  @Test
  void theOptionsAddToTheManifestForServeAndCall() throws Exception {
    Path script = Files.writeString(dir.resolve("p.js"), "");
    manifest("{\"net\": [\"a.com\"]}");
    var serve = new ServeOptions();
    new CommandLine(serve).parseArgs("--allow-net=b.com,c.com:81", "--allow-net", "d.com", "--allow-env=A,B",
        "--allow-read=/tmp", script.toString());
    var config = PluginConfig.resolveWithoutHost(serve);
    assertEquals(List.of("a.com", "b.com", "c.com:81", "d.com"), config.permissions().net());
    assertEquals(List.of("A", "B"), config.permissions().env());
    assertEquals(List.of(Path.of("/tmp")), config.permissions().read());
    assertEquals(config.permissions(), config.spec().permissions());

    var call = new CallOptions();
    new CommandLine(call).parseArgs("--allow-net=e.com", script.toString(), "Get");
    assertEquals(List.of("a.com", "e.com"), PluginConfig.resolveWithoutHost(call.asServeOptions()).permissions().net());
  }

  @Test
  void withoutAManifestTheDenialNamesTheOption() throws Exception {
    Path script = Files.writeString(dir.resolve("bare.js"), "");
    var serve = new ServeOptions();
    new CommandLine(serve).parseArgs("--proto=x.proto", script.toString());
    var permissions = PluginConfig.resolveWithoutHost(serve).permissions();
    assertEquals("run with --allow-net=x.com", permissions.howToGrant("net", "x.com"));
  }

  @Test
  void aBadOptionIsRefused() throws Exception {
    Path script = Files.writeString(dir.resolve("bare.js"), "");
    var serve = new ServeOptions();
    new CommandLine(serve).parseArgs("--proto=x.proto", "--allow-net=a.com:0", script.toString());
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolveWithoutHost(serve));
    assertEquals("--allow-net: \"a.com:0\": the port 0 is not between 1 and 65535", error.getMessage());
  }
}
