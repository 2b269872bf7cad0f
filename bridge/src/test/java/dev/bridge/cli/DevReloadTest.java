package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.LogCapture;
import dev.bridge.app.Plugin;
import dev.bridge.app.PluginVersion;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.JsEngine;
import io.grpc.ServerServiceDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dev mode's reload paths: each edit that loads serves the next call; each that fails leaves the old version serving. */
class DevReloadTest {
  private static final String PROTO = """
      syntax = "proto3";
      package dev;
      message Req { string key = 1; }
      message Res { bytes value = 1; }
      service Svc {
        rpc Get(Req) returns (Res);
      %s}
      """;
  private static final Logger RELOAD_LOG = Logger.getLogger("dev.bridge.reload");

  @TempDir Path dir;
  @TempDir Path files;
  private Path script;
  private Path proto;
  private JsEngine engine;
  private Plugin plugin;
  private DevReload reload;
  private ServeOptions options;
  private final List<List<ServerServiceDefinition>> installed = new CopyOnWriteArrayList<>();
  private LogCapture log;

  @BeforeEach
  void startServingVersionOne() throws Exception {
    log = LogCapture.start("dev.bridge.reload");
    proto = Files.writeString(dir.resolve("svc.proto"), PROTO.formatted(""));
    script = Files.writeString(dir.resolve("svc.js"), answer("v1"));
    Files.writeString(dir.resolve("svc.plugin.json"), """
        {"proto": "svc.proto", "handshake": {"magicCookieKey": "K", "magicCookieValue": "V"}}
        """);
    options = PluginConfigTest.parse(script.toString());
    engine = JsEngine.create();
    PluginConfig config = PluginConfig.resolve(options);
    PluginVersion first = PluginVersion.load(engine, config.spec(), files, ConsoleSink.discard());
    plugin = Plugin.live(first, Duration.ofSeconds(5));
    reload = new DevReload(options, engine, files, ConsoleSink.discard(), plugin, installed::add, config,
        dev.bridge.rpc.Broker.unavailable(dev.bridge.script.ScriptOptions.NO_HOST));
  }

  @AfterEach
  void stop() {
    log.close();
    reload.close();
    plugin.close();
    engine.close();
  }

  private static String answer(String text) {
    return "export function Get({ key }) { return { value: '" + text + "' }; }\n";
  }

  private MethodDescriptor method(String name) {
    MethodDescriptor method = plugin.services().getFirst().findMethodByName(name);
    if (method == null) {
      throw new IllegalStateException("the serving version has no method " + name);
    }
    return method;
  }

  private String call(String methodName) throws Exception {
    MethodDescriptor method = method(methodName);
    var type = method.getInputType();
    DynamicMessage request = DynamicMessage.newBuilder(type).setField(type.findFieldByName("key"), "k").build();
    try {
      DynamicMessage response = plugin.handlers().find(method).orElseThrow()
          .unary(request, new CallContext("/dev.Svc/" + methodName, Map.of())).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      return ((ByteString) response.getField(response.getDescriptorForType().findFieldByName("value")))
          .toString(StandardCharsets.UTF_8);
    } catch (ExecutionException e) {
      CallFailure failure = assertInstanceOf(CallFailure.class, e.getCause());
      return failure.code() + ": " + failure.getMessage();
    }
  }

  /** Polls until the condition holds (a hang guard, not a timing assertion). */
  private static void eventually(String what, Supplier<Boolean> condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.get()) {
      if (System.nanoTime() > end) {
        fail("never happened: " + what);
      }
      Thread.sleep(10);
    }
  }

  private String callQuietly(String method) {
    try {
      return call(method);
    } catch (Exception e) {
      return e.toString();
    }
  }

  private String logText(Level level) {
    return String.join("\n", log.records().stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList());
  }

  @Test
  void anEditedScriptServesTheNextCallsAndTheReloadIsLoggedOnce() throws Exception {
    assertEquals("v1", call("Get"));
    Files.writeString(script, answer("v2"));
    eventually("v2 answers", () -> callQuietly("Get").equals("v2"));
    eventually("the reload is logged", () -> logText(Level.INFO).contains("reloaded svc.js in "));
    assertTrue(logText(Level.INFO).contains("(changed: svc.js)"), logText(Level.INFO));
    assertEquals(1, installed.size());
  }

  @Test
  void aBrokenEditIsReportedWithItsLineAndTheOldVersionKeepsServingUntilFixed() throws Exception {
    Files.writeString(script, "export function Get({ key }) {\n  return { value: ; };\n}\n");
    eventually("the failure is logged", () -> logText(Level.SEVERE).contains("failed"));
    String error = logText(Level.SEVERE);
    assertTrue(error.contains("reload after a change of svc.js failed; the previous version keeps serving: "
        + script + ":2:"), error);
    assertTrue(error.contains("return { value: ; };"), error);
    assertEquals("v1", call("Get"));
    Files.writeString(script, answer("fixed"));
    eventually("the fix answers", () -> callQuietly("Get").equals("fixed"));
  }

  @Test
  void anExportThatMatchesNoMethodIsRefused() throws Exception {
    Files.writeString(script, answer("v2") + "export function Gte() { return {}; }\n");
    eventually("the failure is logged", () -> logText(Level.SEVERE).contains("Gte"));
    assertEquals("v1", call("Get"));
  }

  @Test
  void aSaveByRenameAndATruncateThenWriteBothReload() throws Exception {
    Path temporary = Files.writeString(dir.resolve(".svc.js.tmp"), answer("renamed"));
    Files.move(temporary, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    eventually("the renamed version answers", () -> callQuietly("Get").equals("renamed"));
    Files.writeString(script, "");
    Files.writeString(script, answer("rewritten"));
    eventually("the rewritten version answers", () -> callQuietly("Get").equals("rewritten"));
    assertTrue(logText(Level.SEVERE).isEmpty(), logText(Level.SEVERE));
  }

  @Test
  void aChangedImportedModuleReloadsEvenOneAFailedVersionImportedFirst() throws Exception {
    Files.writeString(dir.resolve("words.mjs"), "export const word = ;\n");
    Files.writeString(script, "import { word } from './words.mjs';\n"
        + "export function Get() { return { value: word }; }\n");
    eventually("the broken module is reported", () -> logText(Level.SEVERE).contains("words.mjs"));
    assertEquals("v1", call("Get"));
    Files.writeString(dir.resolve("words.mjs"), "export const word = 'imported';\n");
    eventually("the fixed module answers", () -> callQuietly("Get").equals("imported"));
    Files.writeString(dir.resolve("words.mjs"), "export const word = 'edited';\n");
    eventually("the edited module answers", () -> callQuietly("Get").equals("edited"));
  }

  @Test
  void anEditedPackageFileOrPackageJsonReloads() throws Exception {
    Path words = Files.createDirectories(dir.resolve("node_modules/words"));
    Files.writeString(words.resolve("package.json"), "{\"name\": \"words\", \"main\": \"one.js\"}");
    Files.writeString(words.resolve("one.js"), "exports.word = 'package';\n");
    Files.writeString(words.resolve("two.js"), "exports.word = 'new main';\n");
    Files.writeString(script, "import { word } from 'words';\nexport function Get() { return { value: word }; }\n");
    eventually("the package answers", () -> callQuietly("Get").equals("package"));
    Files.writeString(words.resolve("one.js"), "exports.word = 'edited package';\n");
    eventually("the edited package file answers", () -> callQuietly("Get").equals("edited package"));
    Files.writeString(words.resolve("package.json"), "{\"name\": \"words\", \"main\": \"two.js\"}");
    eventually("the package's new main answers", () -> callQuietly("Get").equals("new main"));
  }

  @Test
  void aProtoChangeReRegistersTheServicesWithTheNewMethod() throws Exception {
    Files.writeString(script, answer("v1") + "export function Find({ key }) { return { value: 'found ' + key }; }\n");
    eventually("the export without a method is refused", () -> logText(Level.SEVERE).contains("Find"));
    Files.writeString(proto, PROTO.formatted("  rpc Find(Req) returns (Res);\n"));
    eventually("Find is served", () -> callQuietly("Find").equals("found k"));
    List<String> methods = new ArrayList<>();
    installed.getLast().getFirst().getMethods().forEach(m -> methods.add(m.getMethodDescriptor().getBareMethodName()));
    assertEquals(List.of("Find", "Get"), methods.stream().sorted().toList());
  }

  @Test
  void aSaveThatChangesNothingDoesNotReload() throws Exception {
    Files.writeString(script, answer("v1"));
    Thread.sleep(DevReload.QUIET.toMillis() * 10);
    assertTrue(installed.isEmpty());
    assertFalse(logText(Level.INFO).contains("reloaded"));
  }

  /**
   * Serves like {@code ServeCommand}: loads the first version, then starts watching. The script's top-level
   * code holds the load until {@code edit} has run, so the edit falls after the files were read and before
   * anything watches them. Call {@link #stopServing} before preparing the files.
   */
  private void restartEditingWhileLoading(Runnable edit) throws Exception {
    Thread editor = Thread.ofPlatform().start(() -> {
      try {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(files.resolve("loading")) && System.nanoTime() < end) {
          Thread.sleep(5);
        }
        edit.run();
        Files.writeString(files.resolve("edited"), "");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    PluginConfig config = PluginConfig.resolve(options);
    PluginVersion first = PluginVersion.load(engine, config.spec(), files, ConsoleSink.discard());
    editor.join();
    plugin = Plugin.live(first, Duration.ofSeconds(5));
    reload = new DevReload(options, engine, files, ConsoleSink.discard(), plugin, installed::add, config,
        dev.bridge.rpc.Broker.unavailable(dev.bridge.script.ScriptOptions.NO_HOST));
  }

  private void stopServing() {
    reload.close();
    plugin.close();
  }

  private static final String HOLD_THE_LOAD = """
      fs.writeFileSync("loading", "");
      while (!fs.existsSync("edited")) {}
      """;

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anEditOfTheScriptSavedWhileTheFirstVersionLoadsIsServed() throws Exception {
    stopServing();
    Files.writeString(script, HOLD_THE_LOAD + answer("as started"));
    restartEditingWhileLoading(() -> write(script, answer("saved while loading")));
    eventually("the edit answers", () -> callQuietly("Get").equals("saved while loading"));
  }

  @Test
  void anEditOfAModuleSavedWhileTheFirstVersionLoadsIsServed() throws Exception {
    stopServing();
    Path words = Files.writeString(dir.resolve("words.mjs"), "export const word = 'as started';\n");
    Files.writeString(script, "import { word } from './words.mjs';\n" + HOLD_THE_LOAD
        + "export function Get() { return { value: word }; }\n");
    restartEditingWhileLoading(() -> write(words, "export const word = 'saved while loading';\n"));
    eventually("the edit answers", () -> callQuietly("Get").equals("saved while loading"));
  }
}
