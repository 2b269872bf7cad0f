package dev.bridge.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search order of imports, which the parser and the cache's checks share. */
class ProtoLayoutTest {
  @TempDir Path dir;

  @Test
  void importRootsComeFirstInTheirOrderThenEachRequestedFilesOwnDirectoryEachOnce() throws Exception {
    Path b = Files.createDirectories(dir.resolve("b"));
    Path a = Files.createDirectories(dir.resolve("a"));
    Path x = proto(dir.resolve("x/one.proto"));
    Path y = proto(dir.resolve("y/two.proto"));
    Path x2 = proto(dir.resolve("x/three.proto"));

    ProtoLayout layout = ProtoLayout.of(List.of(x, y, x2), List.of(b, a, b));

    assertEquals(List.of(b, a, dir.resolve("x"), dir.resolve("y")), layout.roots());
    assertEquals(List.of("one.proto", "two.proto", "three.proto"),
        layout.sources().stream().map(ProtoLayout.Source::name).toList());
  }

  @Test
  void aRequestedFileUnderAnImportRootIsNamedRelativeToTheFirstRootItIsUnder() throws Exception {
    Path outer = dir;
    Path inner = Files.createDirectories(dir.resolve("api"));
    Path file = proto(inner.resolve("v1/shop.proto"));

    ProtoLayout layout = ProtoLayout.of(List.of(file), List.of(outer, inner));

    assertEquals(new ProtoLayout.Source(outer, "api/v1/shop.proto"), layout.sources().getFirst());
    assertEquals(List.of(outer, inner), layout.roots());
  }

  @Test
  void aRootThatIsNotADirectoryIsAnError() {
    var error = assertThrows(SchemaLoadException.class,
        () -> ProtoLayout.of(List.of(dir.resolve("x.proto")), List.of(dir.resolve("missing"))));
    assertEquals(dir.resolve("missing") + ": proto import path is not a directory", error.getMessage());
  }

  private static Path proto(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "syntax = \"proto3\";\n");
  }
}
