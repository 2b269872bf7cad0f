package dev.bridge.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheDirectoryTest {
  @Test
  void bridgeCacheDirComesFirst() {
    assertEquals(Optional.of(Path.of("/var/cache/plugins/schemas")), CacheDirectory.schemas(
        Map.of("BRIDGE_CACHE_DIR", "/var/cache/plugins", "XDG_CACHE_HOME", "/xdg", "HOME", "/home/me")));
  }

  @Test
  void offMeansNoCache() {
    assertEquals(Optional.empty(), CacheDirectory.schemas(
        Map.of("BRIDGE_CACHE_DIR", "off", "XDG_CACHE_HOME", "/xdg", "HOME", "/home/me")));
  }

  @Test
  void thenTheXdgCacheHomeThenTheHomeDirectory() {
    assertEquals(Optional.of(Path.of("/xdg/bridge/schemas")),
        CacheDirectory.schemas(Map.of("XDG_CACHE_HOME", "/xdg", "HOME", "/home/me")));
    assertEquals(Optional.of(Path.of("/home/me/.cache/bridge/schemas")),
        CacheDirectory.schemas(Map.of("BRIDGE_CACHE_DIR", "", "HOME", "/home/me")));
  }

  @Test
  void aRelativeXdgCacheHomeIsIgnoredAsTheSpecificationSays() {
    assertEquals(Optional.of(Path.of("/home/me/.cache/bridge/schemas")),
        CacheDirectory.schemas(Map.of("XDG_CACHE_HOME", "cache", "HOME", "/home/me")));
  }

  @Test
  void aRelativeBridgeCacheDirIsTakenFromTheWorkingDirectory() {
    assertEquals(Optional.of(Path.of("cache").toAbsolutePath().resolve("schemas")),
        CacheDirectory.schemas(Map.of("BRIDGE_CACHE_DIR", "cache")));
  }

  @Test
  void withoutAnyOfThemThereIsNoCache() {
    assertEquals(Optional.empty(), CacheDirectory.schemas(Map.of()));
  }
}
