package dev.bridge.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache directory the user may not write falls back to a private temporary one, or off, with one debug line. */
class WritableCachesTest {
  @TempDir Path dir;
  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger logger = Logger.getLogger("dev.bridge.cache");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level levelBefore;

  @BeforeEach
  void captureLog() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    logger.removeHandler(capture);
    logger.setLevel(levelBefore);
  }

  private long uid() throws IOException {
    return Uid.effective();
  }

  @Test
  void usableDirectoriesAreKeptWithoutALogLine() throws Exception {
    var where = new WritableCaches.Where(Optional.of(dir.resolve("bridge")), Optional.of(dir.resolve("truffle")), dir);
    var caches = WritableCaches.resolve(where, WritableCaches::usable, this::uid);
    assertEquals(new WritableCaches(Optional.of(dir.resolve("bridge")), Optional.empty(), false), caches);
    assertTrue(Files.isDirectory(dir.resolve("bridge")), "the bridge's cache directory is created");
    assertEquals(List.of(), logged);
  }

  @Test
  void unusableDirectoriesFallBackToAPrivateTemporaryDirectoryWithOneDebugLine() throws Exception {
    Path home = dir.resolve("home");
    var where = new WritableCaches.Where(Optional.of(home.resolve(".cache/bridge")),
        Optional.of(home.resolve(".cache/org.graalvm.polyglot")), dir.resolve("tmp"));
    Files.createDirectories(where.temporary());
    var caches = WritableCaches.resolve(where, unwritableUnder(home), this::uid);

    Path fallback = where.temporary().resolve("bridgejs-" + uid());
    assertEquals(new WritableCaches(Optional.of(fallback.resolve("bridge")),
        Optional.of(fallback.resolve("org.graalvm.polyglot")), false), caches);
    assertEquals(Optional.of(fallback.resolve("bridge/schemas")), caches.schemas());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fallback)));
    assertEquals(1, logged.size(), "one line: " + logged);
    LogRecord line = logged.get(0);
    assertEquals(Level.FINE, line.getLevel());
    String fields = String.valueOf(line.getParameters()[0]);
    assertTrue(fields.contains(home.resolve(".cache/bridge").toString()) && fields.contains("Permission denied")
        && fields.contains(fallback.toString()), fields);
  }

  @Test
  void aFallbackDirectorySomeoneElseCouldWriteIsNotUsedAndCachingIsOff() throws Exception {
    Path temporary = Files.createDirectories(dir.resolve("tmp"));
    Path planted = Files.createDirectory(temporary.resolve("bridgejs-" + uid()));
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path home = dir.resolve("home");
    var where = new WritableCaches.Where(Optional.of(home.resolve("bridge")), Optional.of(home.resolve("truffle")),
        temporary);
    var caches = WritableCaches.resolve(where, unwritableUnder(home), this::uid);

    assertEquals(new WritableCaches(Optional.empty(), Optional.empty(), true), caches);
    assertEquals(1, logged.size(), "one line: " + logged);
    String fields = String.valueOf(logged.get(0).getParameters()[0]);
    assertTrue(fields.contains("rwxrwxrwx") && fields.contains("bridge_cache=off") && fields.contains("truffle_cache=off"),
        fields);
    assertTrue(logged.get(0).getMessage().contains("BRIDGE_CACHE_DIR"), logged.get(0).getMessage());
  }

  @Test
  void aFallbackDirectoryOfAnotherUserIsNotUsed() throws Exception {
    Path temporary = Files.createDirectories(dir.resolve("tmp"));
    Path home = dir.resolve("home");
    var where = new WritableCaches.Where(Optional.of(home.resolve("bridge")), Optional.empty(), temporary);
    Files.createDirectory(temporary.resolve("bridgejs-4242"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    var caches = WritableCaches.resolve(where, unwritableUnder(home), () -> 4242);
    assertEquals(Optional.empty(), caches.bridge(), "made by this test's user, not uid 4242");
    assertFalse(caches.truffleOff(), "Truffle's default was not in question");
    assertTrue(String.valueOf(logged.get(0).getParameters()[0]).contains("not this user's 4242"), logged.toString());
  }

  @Test
  void withoutHomeTheBridgesCacheFallsBackToo() throws Exception {
    Path temporary = Files.createDirectories(dir.resolve("tmp"));
    var where = new WritableCaches.Where(Optional.empty(), Optional.of("neither BRIDGE_CACHE_DIR, XDG_CACHE_HOME nor HOME is set"),
        Optional.empty(), temporary);
    var caches = WritableCaches.resolve(where, WritableCaches::usable, this::uid);
    assertEquals(Optional.of(temporary.resolve("bridgejs-" + uid()).resolve("bridge")), caches.bridge());
    assertEquals(1, logged.size(), "one line: " + logged);
    assertTrue(String.valueOf(logged.get(0).getParameters()[0]).contains("HOME is set"), logged.toString());
  }

  @Test
  void offStaysOffWithoutALogLine() throws Exception {
    var where = new WritableCaches.Where(Optional.empty(), Optional.empty(), Optional.empty(), dir);
    assertEquals(new WritableCaches(Optional.empty(), Optional.empty(), false),
        WritableCaches.resolve(where, WritableCaches::usable, this::uid));
    assertEquals(List.of(), logged);
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsUnusable() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "");
    assertTrue(WritableCaches.usable(file.resolve("cache")).orElseThrow().contains(file.toString()));
    assertEquals(Optional.empty(), WritableCaches.usable(dir.resolve("a/b")));
  }

  @Test
  void truffleDefaultIsTheXdgCacheHomeThenTheHomeUnlessAPropertyDecides() {
    Map<String, String> props = Map.of("user.home", "/nonexistent");
    assertEquals(Optional.of(Path.of("/nonexistent/.cache/org.graalvm.polyglot")),
        WritableCaches.truffleDefault(Map.of(), props::get));
    assertEquals(Optional.of(Path.of("/xdg/org.graalvm.polyglot")),
        WritableCaches.truffleDefault(Map.of("XDG_CACHE_HOME", "/xdg"), props::get));
    Map<String, String> told = Map.of("user.home", "/nonexistent", WritableCaches.TRUFFLE_CACHE_PROPERTY, "/c");
    assertEquals(Optional.empty(), WritableCaches.truffleDefault(Map.of(), told::get));
  }

  /** A check that refuses everything under {@code root}, as a home another user cannot read. */
  private static WritableCaches.Check unwritableUnder(Path root) {
    return directory -> directory.startsWith(root)
        ? Optional.of("java.nio.file.AccessDeniedException: " + directory + ": Permission denied")
        : WritableCaches.usable(directory);
  }
}
