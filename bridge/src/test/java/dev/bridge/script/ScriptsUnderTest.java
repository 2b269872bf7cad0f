package dev.bridge.script;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Scripts loaded for one test: written as {@code main.mjs} into a fresh script directory, with a
 * fresh files directory for their {@code fs}, in the shared test engine; everything loaded is closed
 * and both directories deleted after each test. Register with {@code @RegisterExtension}.
 */
final class ScriptsUnderTest implements AfterEachCallback {
  private final Deque<AutoCloseable> loaded = new ArrayDeque<>();
  private Path dir;
  private Path files;

  /** Where the scripts are written. */
  Path dir() {
    if (dir == null) {
      dir = temporaryDirectory("script");
    }
    return dir;
  }

  /** The directory the scripts' {@code fs} is confined to. */
  Path files() {
    if (files == null) {
      files = temporaryDirectory("files");
    }
    return files;
  }

  /** The path of {@code main.mjs}, the script every {@code load} writes. */
  Path main() {
    return dir().resolve("main.mjs");
  }

  ScriptRuntime load(String source) throws Exception {
    return load(source, ScriptOptions.defaults());
  }

  ScriptRuntime load(String source, ScriptOptions options) throws Exception {
    ScriptRuntime runtime = ScriptRuntime.load(SharedEngine.ENGINE, ScriptFixture.write(dir(), "main.mjs", source),
        files(), ConsoleSink.discard(), options);
    loaded.push(runtime);
    return runtime;
  }

  ScriptPool loadInstances(String source, ScriptOptions options, int instances) throws Exception {
    ScriptPool pool = ScriptPool.load(SharedEngine.ENGINE, ScriptFixture.write(dir(), "main.mjs", source), files(),
        ConsoleSink.discard(), options, instances);
    loaded.push(pool);
    return pool;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    while (!loaded.isEmpty()) {
      loaded.pop().close();
    }
    for (Path created : new Path[] {dir, files}) {
      if (created != null) {
        deleteRecursively(created);
      }
    }
    dir = null;
    files = null;
  }

  private static Path temporaryDirectory(String purpose) {
    try {
      return Files.createTempDirectory("bridge-test-" + purpose).toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
