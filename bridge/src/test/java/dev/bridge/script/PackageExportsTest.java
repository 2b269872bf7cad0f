package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Node's {@code exports} rules as {@link PackageExports} applies them, on {@code package.json} text. */
class PackageExportsTest {
  private static final Set<String> IMPORT = PackageResolver.Mode.IMPORT.conditions;
  private static final Set<String> REQUIRE = PackageResolver.Mode.REQUIRE.conditions;

  private static Object exports(String json) throws Exception {
    return JSON.std.anyFrom(json);
  }

  @Test
  void aStringIsTheMainEntryOnly() throws Exception {
    assertEquals("./index.js", PackageExports.target(exports("\"./index.js\""), ".", IMPORT));
    assertNull(PackageExports.target(exports("\"./index.js\""), "./index.js", IMPORT));
  }

  @Test
  void conditionsAreTakenInTheirOwnOrderAndNodeIsNotOne() throws Exception {
    Object conditions = exports("{\"node\": \"./node.js\", \"require\": \"./r.cjs\", \"import\": \"./i.mjs\","
        + " \"default\": \"./d.js\"}");
    assertEquals("./i.mjs", PackageExports.target(conditions, ".", IMPORT));
    assertEquals("./r.cjs", PackageExports.target(conditions, ".", REQUIRE));
    Object requireFirst = exports("{\"require\": \"./r.cjs\", \"module\": \"./m.js\"}");
    assertEquals("./m.js", PackageExports.target(requireFirst, ".", IMPORT));
    assertNull(PackageExports.target(exports("{\"node\": \"./node.js\", \"browser\": \"./b.js\"}"), ".", IMPORT));
  }

  @Test
  void nestedConditionsArraysAndTypesAreFollowed() throws Exception {
    Object nested = exports("{\".\": {\"import\": {\"types\": \"./x.d.ts\", \"default\": \"./x.mjs\"},"
        + " \"require\": [\"./missing-condition-skipped\", \"./x.cjs\"]}}");
    assertEquals("./x.mjs", PackageExports.target(nested, ".", IMPORT));
    assertEquals("./missing-condition-skipped", PackageExports.target(nested, ".", REQUIRE));
    Object arrays = exports("[{\"worker\": \"./w.js\"}, \"./fallback.js\"]");
    assertEquals("./fallback.js", PackageExports.target(arrays, ".", IMPORT));
  }

  @Test
  void subpathsPatternsAndFoldersMatchTheLongestPrefix() throws Exception {
    Object map = exports("{\".\": \"./main.js\", \"./utils\": \"./lib/utils.js\", \"./features/*\": \"./lib/f/*.js\","
        + " \"./features/special/*\": \"./special/*.mjs\", \"./legacy/\": \"./old/\", \"./internal/*\": null}");
    assertEquals("./main.js", PackageExports.target(map, ".", IMPORT));
    assertEquals("./lib/utils.js", PackageExports.target(map, "./utils", IMPORT));
    assertEquals("./lib/f/a/b.js", PackageExports.target(map, "./features/a/b", IMPORT));
    assertEquals("./special/x.mjs", PackageExports.target(map, "./features/special/x", IMPORT));
    assertEquals("./old/deep/file.js", PackageExports.target(map, "./legacy/deep/file.js", IMPORT));
    assertNull(PackageExports.target(map, "./internal/secret", IMPORT));
    assertNull(PackageExports.target(map, "./lib/utils.js", IMPORT));
  }

  @Test
  void theImportsFieldMapsHashSpecifiers() throws Exception {
    Object imports = exports("{\"#dep\": {\"import\": \"./dep.mjs\", \"default\": \"./dep.cjs\"}, \"#util/*\": \"./u/*.js\"}");
    assertEquals("./dep.mjs", PackageExports.target(imports, "#dep", IMPORT));
    assertEquals("./dep.cjs", PackageExports.target(imports, "#dep", REQUIRE));
    assertEquals("./u/x.js", PackageExports.target(imports, "#util/x", IMPORT));
  }
}
