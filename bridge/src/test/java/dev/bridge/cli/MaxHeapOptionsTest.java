package dev.bridge.cli;

import static dev.bridge.cli.ServeOptionsParsing.parse;
import static dev.bridge.cli.ServeOptionsParsing.parseError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --max-heap and the manifest's maxHeap: sizes, "jvm", the 512MiB default, and errors naming the field. */
class MaxHeapOptionsTest {
  @TempDir Path dir;

  @Test
  void sizesAndJvm() {
    assertEquals(OptionalLong.of(256L << 20), parse("kv.js", "--max-heap=256MiB").maxHeap.bytes());
    assertEquals(OptionalLong.of(4L << 30), parse("kv.js", "--max-heap", "4GiB").maxHeap.bytes());
    assertEquals(MaxHeap.JVM, parse("kv.js", "--max-heap=jvm").maxHeap);
    assertEquals(MaxHeap.JVM, parse("kv.js", "--max-heap=JVM").maxHeap);
  }

  @Test
  void optionErrorsSayWhatIsExpected() {
    assertEquals("Invalid value for option '--max-heap': 'lots' is not a size: expected bytes or a number with KiB, "
        + "MiB or GiB (e.g. 268435456, 256MiB, 2GiB), or jvm for the JVM's own maximum heap",
        parseError("kv.js", "--max-heap=lots"));
    assertEquals("Invalid value for option '--max-heap': '1MiB' is too small: at least 32MiB (the bridge itself holds "
        + "about 15MiB), or jvm for the JVM's own maximum heap", parseError("kv.js", "--max-heap=1MiB"));
  }

  @Test
  void theDefaultIs512MiB() throws Exception {
    PluginConfig config = PluginConfig.resolve(parse("../scripts/kv.js"));
    assertEquals(MaxHeap.DEFAULT, config.maxHeap());
    assertEquals(OptionalLong.of(512L << 20), config.maxHeap().bytes());
    assertEquals("512MiB", config.maxHeap().toString());
  }

  @Test
  void theManifestSetsItAndTheOptionOverridesIt() throws Exception {
    Path script = Files.writeString(dir.resolve("p.js"), "");
    Files.writeString(dir.resolve("p.plugin.json"), """
        {"proto": "p.proto", "handshake": {"magicCookieKey": "K", "magicCookieValue": "v"}, "maxHeap": "64MiB"}
        """);
    assertEquals(OptionalLong.of(64L << 20), PluginConfig.resolve(parse(script.toString())).maxHeap().bytes());
    assertEquals(MaxHeap.JVM, PluginConfig.resolve(parse("--max-heap=jvm", script.toString())).maxHeap());
    Files.writeString(dir.resolve("p.plugin.json"), """
        {"proto": "p.proto", "handshake": {"magicCookieKey": "K", "magicCookieValue": "v"}, "maxHeap": "jvm"}
        """);
    assertEquals(MaxHeap.JVM, PluginConfig.resolve(parse(script.toString())).maxHeap());
  }

  @Test
  void aBadManifestValueNamesTheFileAndField() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"maxHeap\": \"big\"}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:13: field \"maxHeap\": 'big' is not a size: expected bytes or a number with KiB, MiB or GiB "
        + "(e.g. 268435456, 256MiB, 2GiB), or jvm for the JVM's own maximum heap", error.getMessage());
    Files.writeString(file, "{\"maxHeap\": \"16MiB\"}");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:13: field \"maxHeap\": '16MiB' is too small: at least 32MiB (the bridge itself holds about "
        + "15MiB), or jvm for the JVM's own maximum heap", error.getMessage());
    Files.writeString(file, "{\"maxHeap\": true}");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:13: field \"maxHeap\" must be a size such as \"256MiB\" or \"jvm\", not true", error.getMessage());
  }
}
