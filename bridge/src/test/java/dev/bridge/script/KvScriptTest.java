package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.failure;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.put;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvScriptTest {
  private static JsEngine engine;
  @TempDir Path scriptDir;
  @TempDir Path filesRoot;
  private ScriptRuntime runtime;

  @BeforeAll
  static void startEngine() {
    engine = JsEngine.create();
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @BeforeEach
  void load() throws Exception {
    for (String name : new String[] {"main.mjs", "keys.mjs"}) {
      try (var in = getClass().getResourceAsStream("/script/kv/" + name)) {
        Files.copy(in, scriptDir.resolve(name));
      }
    }
    runtime = ScriptRuntime.load(engine, scriptDir.resolve("main.mjs"), filesRoot, ConsoleSink.discard());
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void exportedFunctionsAreListed() {
    assertEquals(Set.of("Get", "Put"), runtime.exportedFunctions());
  }

  @Test
  void putWritesAFileInTheFilesRootAndGetReadsItBack() throws Exception {
    byte[] hello = "hello".getBytes();
    var empty = call(runtime, TestProtos.PUT, put("greeting", hello));
    assertEquals(TestProtos.message("Empty"), empty.getDescriptorForType());
    assertArrayEquals(hello, Files.readAllBytes(filesRoot.resolve("kv_greeting")));
    assertArrayEquals(hello, value(call(runtime, TestProtos.GET, get("greeting"))));
  }

  @Test
  void getOfAMissingKeyFailsWithNotFound() throws Exception {
    var failure = failure(runtime, TestProtos.GET, get("nope"));
    assertEquals("NOT_FOUND", failure.code());
    assertEquals("no value for key nope", failure.getMessage());
  }

  @Test
  void bytesRoundTripExactly() throws Exception {
    byte[] megabyte = new byte[1 << 20];
    new Random(42).nextBytes(megabyte);
    byte[][] values = {
        {}, {0}, {(byte) 0xff}, {0, (byte) 0xff, 0, (byte) 0x80, 0x7f}, megabyte,
    };
    for (int i = 0; i < values.length; i++) {
      call(runtime, TestProtos.PUT, put("k" + i, values[i]));
      assertArrayEquals(values[i], Files.readAllBytes(filesRoot.resolve("kv_k" + i)), "file " + i);
      assertArrayEquals(values[i], value(call(runtime, TestProtos.GET, get("k" + i))), "value " + i);
    }
  }

  @Test
  void describesAMissingHandler() {
    var missing = TestProtos.method("Mapping", "Echo");
    assertTrue(runtime.handlers().find(missing).isEmpty());
    String description = runtime.handlers().describeMissing(missing);
    assertTrue(description.contains("no function Echo"), description);
    assertTrue(description.contains("proto.Mapping/Echo"), description);
  }
}
