package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridgejs pack}: what the file holds, how it is moded, what its stub runs, and errors naming the file
 * at fault. The stub is run by the system's sh with a stand-in launcher that records its arguments (the real
 * one, through a go-plugin host, is host/e2e/pack_test.go).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)  // a hang guard only
class PackCommandTest {
  private static final String PROTO = """
      syntax = "proto3";
      package dev;
      import "common/types.proto";
      service Echo { rpc Get(common.Req) returns (common.Res); }
      """;
  private static final String TYPES = """
      syntax = "proto3";
      package common;
      message Req { string key = 1; }
      message Res { string text = 1; }
      """;
  private static final String MANIFEST = """
      {"proto": ["../proto/echo.proto"], "protoPath": ["../proto", "../shared"],
       "handshake": {"magicCookieKey": "ECHO_PLUGIN", "magicCookieValue": "hi"}}
      """;

  @TempDir Path dir;
  @TempDir Path out;
  private Path script;
  private Path launcher;

  @BeforeEach
  void plugin() throws IOException {
    Path plugin = Files.createDirectories(dir.resolve("plugin"));
    Files.createDirectories(dir.resolve("proto"));
    Files.createDirectories(dir.resolve("shared/common"));
    Files.createDirectories(plugin.resolve("lib"));
    Files.writeString(dir.resolve("proto/echo.proto"), PROTO);
    Files.writeString(dir.resolve("proto/unused.proto"), "syntax = \"proto3\";\npackage unused;\n");
    Files.writeString(dir.resolve("shared/common/types.proto"), TYPES);
    script = Files.writeString(plugin.resolve("echo.js"),
        "import { upper } from \"./lib/text.js\";\nexport function Get({ key }) { return { text: upper(key) }; }\n");
    Files.writeString(plugin.resolve("lib/text.js"), "export function upper(s) { return s.toUpperCase(); }\n");
    Files.writeString(plugin.resolve("lib/unused.js"), "export const x = 1;\n");
    Files.writeString(plugin.resolve("notes.txt"), "not part of the plugin\n");
    Files.writeString(plugin.resolve("echo.plugin.json"), MANIFEST);
    // Stands in for bridgejs: records its arguments, one a line, and what it was run from.
    launcher = Files.writeString(dir.resolve("fake-bridgejs"), """
        #!/bin/sh
        for a in "$@"; do printf '%s\\n' "$a"; done > "$RECORD"
        """);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private CommandRun pack(String... args) {
    List<String> all = new ArrayList<>(List.of("pack", "--launcher", launcher.toString()));
    all.addAll(Arrays.asList(args));
    return CommandRun.of(all.toArray(String[]::new));
  }

  @Test
  void holdsExactlyTheScriptItsModulesManifestAndProtos() throws IOException {
    Path file = out.resolve("notification-echo");
    CommandRun run = pack(script.toString(), "-o", file.toString());
    assertEquals(0, run.exitCode(), run.err());

    Map<String, String> entries = archive(file);
    assertEquals(List.of("plugin/", "plugin/echo.js", "plugin/echo.plugin.json", "plugin/lib/", "plugin/lib/text.js",
        "proto/", "proto/echo.proto", "shared/", "shared/common/", "shared/common/types.proto"),
        List.copyOf(entries.keySet()));
    assertEquals(PROTO, entries.get("proto/echo.proto"));
    assertEquals(MANIFEST, entries.get("plugin/echo.plugin.json"));
    // The file's own SHA-256 on stdout, as sha256sum prints it (Vault's plugin register -sha256).
    assertEquals(PackedFile.sha256(Files.readAllBytes(file)) + "  " + file, run.out().strip());
  }

  @Test
  void holdsTheNpmPackageFilesTheScriptReadAndNoOthers() throws IOException {
    Path greet = Files.createDirectories(dir.resolve("plugin/node_modules/greet/lib"));
    Files.writeString(greet.resolve("../package.json"), "{\"name\": \"greet\", \"main\": \"lib/greet.js\"}");
    Files.writeString(greet.resolve("greet.js"), "exports.greeting = require('./words.json').hello;\n");
    Files.writeString(greet.resolve("words.json"), "{\"hello\": \"hi\"}");
    Files.writeString(greet.resolve("unused.js"), "exports.x = 1;\n");
    Files.writeString(script, "import { greeting } from \"greet\";\nexport function Get() { return { text: greeting }; }\n");
    Path file = out.resolve("notification-echo");
    CommandRun run = pack(script.toString(), "-o", file.toString());
    assertEquals(0, run.exitCode(), run.err());

    Map<String, String> entries = archive(file);
    for (String packed : List.of("plugin/node_modules/greet/package.json", "plugin/node_modules/greet/lib/greet.js",
        "plugin/node_modules/greet/lib/words.json")) {
      assertTrue(entries.containsKey(packed), packed + " in " + entries.keySet());
    }
    assertFalse(entries.containsKey("plugin/node_modules/greet/lib/unused.js"), entries.keySet().toString());
  }

  @Test
  void isAnExecutableShellScriptModed0755() throws IOException {
    Path file = out.resolve("terraform-provider-echo_v1.0.0");
    Files.writeString(file, "an older version");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertEquals(0, pack(script.toString(), "-o", file.toString()).exitCode());

    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).startsWith("#!/bin/sh\n"));
    try (var files = Files.list(out)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left beside it");
    }
  }

  @Test
  void packingAgainGivesTheSameFile() throws IOException {
    Path first = out.resolve("a");
    Path second = out.resolve("b");
    assertEquals(0, pack(script.toString(), "-o", first.toString()).exitCode());
    assertEquals(0, pack(script.toString(), "-o", second.toString()).exitCode());
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void runsTheLauncherOnTheExtractedScriptWithTheOptionsGivenAndTheHostsArguments() throws Exception {
    Path file = out.resolve("notification-echo");
    CommandRun packed = pack("--call-timeout", "5s", "--magic-cookie-value=it's -odd",
        "--proto", dir.resolve("proto/echo.proto").toString(), "-I", dir.resolve("shared").toString(),
        "--tcp", script.toString(), "-o", file.toString());
    assertEquals(0, packed.exitCode(), packed.err());
    Path home = Files.createDirectories(dir.resolve("home"));
    Path record = dir.resolve("args");

    Process run = stub(file, home, record, "--host-flag", "two words");
    assertEquals(0, run.waitFor(), new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));

    List<String> args = Files.readAllLines(record);
    Path extracted = onlyExtraction(home);
    assertEquals(sorted(List.of("--call-timeout=5s", "--magic-cookie-value=it's -odd",
        "--proto=" + extracted.resolve("proto/echo.proto"), "--proto-path=" + extracted.resolve("shared"), "--tcp",
        extracted.resolve("plugin/echo.js").toString(), "--host-flag", "two words")), sorted(args));
    assertEquals(Files.readString(script), Files.readString(extracted.resolve("plugin/echo.js")));
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(home.resolve(".cache/bridgejs"))));
  }

  @Test
  void aScriptLinkedFromAnotherDirectoryKeepsTheManifestBesideTheLink() throws Exception {
    // (A script reached through a link may import nothing: modules must be under the link's directory.)
    Path solo = Files.writeString(script.resolveSibling("solo.js"), "export function Get() { return {}; }\n");
    Path linked = Files.createDirectories(dir.resolve("linked"));
    Files.createSymbolicLink(linked.resolve("echo.js"), solo);
    Files.writeString(linked.resolve("echo.plugin.json"), MANIFEST);
    Path file = out.resolve("notification-echo");
    CommandRun packed = pack(linked.resolve("echo.js").toString(), "-o", file.toString());
    assertEquals(0, packed.exitCode(), packed.err());
    assertTrue(archive(file).containsKey("linked/echo.plugin.json"), archive(file).keySet().toString());

    Path home = Files.createDirectories(dir.resolve("home"));
    Process run = stub(file, home, dir.resolve("args"));
    assertEquals(0, run.waitFor(), new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    Path extracted = onlyExtraction(home);
    assertEquals(List.of("--manifest=" + extracted.resolve("linked/echo.plugin.json"),
        extracted.resolve("plugin/solo.js").toString()), Files.readAllLines(dir.resolve("args")));
  }

  @Test
  void copiesStartedAtOnceShareOneExtraction() throws Exception {
    Path file = out.resolve("notification-echo");
    assertEquals(0, pack(script.toString(), "-o", file.toString()).exitCode());
    Path home = Files.createDirectories(dir.resolve("home"));
    List<Process> runs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      runs.add(stub(file, home, dir.resolve("args" + i)));
    }
    for (Process run : runs) {
      assertEquals(0, run.waitFor(), new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    Path extracted = onlyExtraction(home);
    for (int i = 0; i < 6; i++) {
      assertEquals(List.of(extracted.resolve("plugin/echo.js").toString()), Files.readAllLines(dir.resolve("args" + i)));
    }
    try (var left = Files.list(extracted.getParent())) {
      assertEquals(List.of(extracted), left.toList(), "no extraction directory left behind");
    }
  }

  @Test
  void aDamagedFileIsRefusedByName() throws Exception {
    Path file = out.resolve("notification-echo");
    assertEquals(0, pack(script.toString(), "-o", file.toString()).exitCode());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 2000] ^= 1;
    Files.write(file, bytes);

    Process run = stub(file, Files.createDirectories(dir.resolve("home")), dir.resolve("args"));
    String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, run.waitFor());
    assertTrue(err.startsWith(file + ": damaged: its packed files have the SHA-256 "), err);
    assertFalse(Files.exists(dir.resolve("args")));
  }

  @Test
  void withNoHomeItExtractsIntoAUserDirectoryUnderTmpdir() throws Exception {
    Path file = out.resolve("notification-echo");
    assertEquals(0, pack(script.toString(), "-o", file.toString()).exitCode());
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    var builder = new ProcessBuilder(file.toString());
    builder.environment().clear();
    builder.environment().put("TMPDIR", tmp.toString());
    builder.environment().put("RECORD", dir.resolve("args").toString());
    Process run = builder.start();
    assertEquals(0, run.waitFor(), new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    try (var made = Files.list(tmp)) {
      Path cache = made.findFirst().orElseThrow();
      assertTrue(cache.getFileName().toString().matches("bridgejs-[0-9]+"), cache.toString());
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    }
  }

  @Test
  void aMissingLauncherIsNamed() throws Exception {
    Path file = out.resolve("notification-echo");
    assertEquals(0, CommandRun.of("pack", "--launcher", "/nonexistent/bridgejs", script.toString(),
        "-o", file.toString()).exitCode());
    Process run = stub(file, Files.createDirectories(dir.resolve("home")), dir.resolve("args"));
    String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, run.waitFor());
    assertTrue(err.contains("bridgejs is not at /nonexistent/bridgejs") && err.contains("BRIDGE_LAUNCHER"), err);
  }

  @Test
  void aMissingModuleIsNamed() throws IOException {
    Files.writeString(script, "import { upper } from \"./lib/gone.js\";\nexport function Get() { return {}; }\n");
    CommandRun run = pack(script.toString(), "-o", out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_NOT_LOADED, run.exitCode());
    assertTrue(run.err().contains("gone.js"), run.err());
    assertFalse(Files.exists(out.resolve("p")));
  }

  @Test
  void aMissingProtoIsNamed() throws IOException {
    Files.delete(dir.resolve("shared/common/types.proto"));
    CommandRun run = pack(script.toString(), "-o", out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_NOT_LOADED, run.exitCode());
    assertTrue(run.err().contains("common/types.proto"), run.err());
  }

  @Test
  void aMissingImportRootIsNamed() throws IOException {
    CommandRun run = pack("-I", dir.resolve("nowhere").toString(), "-I", dir.resolve("shared").toString(),
        "-I", dir.resolve("proto").toString(), script.toString(), "-o", out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_NOT_LOADED, run.exitCode());
    assertTrue(run.err().contains(dir.resolve("nowhere").toString()), run.err());
  }

  @Test
  void refusesWhatAPackedPluginCannotBe() throws IOException {
    CommandRun dev = pack("--dev", script.toString(), "-o", out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_USAGE, dev.exitCode());
    assertTrue(dev.err().startsWith("--dev: "), dev.err());

    CommandRun intoDirectory = pack(script.toString(), "-o", out.toString());
    assertEquals(PackCommand.EXIT_USAGE, intoDirectory.exitCode());
    assertTrue(intoDirectory.err().startsWith("-o " + out + ": a directory"), intoDirectory.err());

    CommandRun overScript = pack(script.toString(), "-o", script.toString());
    assertEquals(PackCommand.EXIT_USAGE, overScript.exitCode());
    assertTrue(overScript.err().contains("one of the plugin's own files"), overScript.err());
    assertTrue(Files.readString(script).startsWith("import"));

    // The host's arguments are given at run time, not baked in.
    CommandRun hostArgs = pack(script.toString(), "extra", "-o", out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_USAGE, hostArgs.exitCode());
    assertFalse(Files.exists(out.resolve("p")));

    CommandRun relative = CommandRun.of("pack", "--launcher", "bin/bridgejs", script.toString(), "-o",
        out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_USAGE, relative.exitCode());
    assertTrue(relative.err().startsWith("--launcher bin/bridgejs: give an absolute path"), relative.err());

    CommandRun noHandshake = pack("--manifest", write("bare.plugin.json", "{\"proto\": [\"" + dir.resolve("proto/echo.proto")
        + "\"], \"protoPath\": [\"" + dir.resolve("shared") + "\"]}").toString(), script.toString(),
        "-o", out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_NOT_LOADED, noHandshake.exitCode());
    assertTrue(noHandshake.err().contains("magic cookie"), noHandshake.err());
  }

  @Test
  void withoutAnInstalledBridgeTheLauncherMustBeGiven() {
    // Tests run from class directories: no bridge/bin/bridgejs beside a jar.
    CommandRun run = CommandRun.of("pack", script.toString(), "-o", out.resolve("p").toString());
    assertEquals(PackCommand.EXIT_USAGE, run.exitCode());
    assertTrue(run.err().contains("give --launcher PATH"), run.err());
  }

  @Test
  void aFileNotOwnedByRootGetsANote() throws IOException {
    Path file = Files.writeString(out.resolve("notification-echo"), "#!/bin/sh\n");
    if (Files.getOwner(file).getName().equals("root")) {
      assertEquals(Optional.empty(), PackedFile.ownerNote(file));
      Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    }
    String owner = Files.getOwner(file).getName();
    assertEquals(Optional.of("note: " + file + " is owned by " + owner + "; a host that checks its plugins' owner may "
        + "want root: sudo chown root:root " + file), PackedFile.ownerNote(file));
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private Process stub(Path file, Path home, Path record, String... hostArgs) throws IOException {
    List<String> command = new ArrayList<>(List.of(file.toString()));
    command.addAll(Arrays.asList(hostArgs));
    var builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("HOME", home.toString());
    builder.environment().put("RECORD", record.toString());
    return builder.start();
  }

  private static Path onlyExtraction(Path home) throws IOException {
    try (var packed = Files.list(home.resolve(".cache/bridgejs/packed"))) {
      List<Path> all = packed.toList();
      assertEquals(1, all.size(), all.toString());
      assertTrue(all.get(0).getFileName().toString().matches("[0-9a-f]{64}"), all.toString());
      return all.get(0);
    }
  }

  /** bridgejs's options in a stable order (picocli reports them by declaration), the rest as given. */
  private static List<String> sorted(List<String> args) {
    List<String> options = new ArrayList<>(args.stream().filter(a -> a.startsWith("--") && !a.equals("--host-flag"))
        .sorted().toList());
    options.addAll(args.stream().filter(a -> !a.startsWith("--") || a.equals("--host-flag")).toList());
    return options;
  }

  /** The archive after the stub, entry by entry (a directory's content is empty). */
  private static Map<String, String> archive(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("\nskip=") + "\nskip=".length();
    int skip = Integer.parseInt(text.substring(at, text.indexOf('\n', at)));
    Map<String, String> entries = new TreeMap<>();
    try (var tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes, skip - 1, bytes.length - skip + 1))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        assertEquals(entry.isDirectory() ? 040755 : 0100644, entry.getMode(), entry.getName());
        entries.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }
}
