package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * npm packages imported by a script: the fixture packages of {@code src/test/resources/packages} (exports
 * conditions, CommonJS with require chains and JSON, a scoped package, nested node_modules, a missing main)
 * copied into a plugin directory.
 */
class NpmPackagesTest {
  @TempDir Path dir;
  @TempDir Path files;
  @TempDir Path outside;

  @BeforeEach
  void copyFixturePackages() throws Exception {
    Path fixtures = Path.of(NpmPackagesTest.class.getResource("/packages").toURI());
    try (Stream<Path> all = Files.walk(fixtures)) {
      for (Path source : (Iterable<Path>) all::iterator) {
        Path target = dir.resolve(fixtures.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private String getJson(String source) throws Exception {
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, source)) {
      return new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    }
  }

  private String loadError(String source) {
    return ScriptFixture.loadError(dir, files, source);
  }

  @Test
  void esModulesFollowExportsConditionsPatternsScopesAndTheModuleField() throws Exception {
    assertEquals("{\"def\":\"esm default\",\"kind\":\"import\",\"feature\":\"module condition\",\"one\":1,"
        + "\"scoped\":\"scoped sub\",\"via\":\"module field\",\"fromLib\":\"import\"}", getJson("""
        import def, { kind } from 'esm-conditions';
        import { feature } from 'esm-conditions/feature';
        import one from 'esm-conditions/data/one';
        import { scoped } from '@scope/pkg/sub';
        import { via } from 'legacy-module';
        import { fromLib } from './lib/uses-package.mjs';
        export function Get() {
          return { value: JSON.stringify({ def, kind, feature, one, scoped, via, fromLib }) };
        }
        """));
  }

  @Test
  void commonJsRequiresFilesJsonNestedPackagesAndEsModules() throws Exception {
    assertEquals("{\"answer\":42,\"dep\":\"nested cjs-dep\",\"fsProbe\":\"MODULE_NOT_FOUND\",\"dirname\":true,"
        + "\"viaRequire\":\"require\",\"esmOnly\":\"esm required\",\"sameInstance\":true,\"isDefault\":true}",
        getJson("""
        import chain, { answer, dep, fsProbe, dirname, viaRequire, esmOnly, sameInstance } from 'cjs-chain';
        export function Get() {
          const isDefault = chain.answer === answer;
          return { value: JSON.stringify({ answer, dep, fsProbe, dirname, viaRequire, esmOnly, sameInstance, isDefault }) };
        }
        """));
  }

  @Test
  void thePluginsOwnCjsFilesAreCommonJsAndItsJsFilesStayEsModules() throws Exception {
    Files.writeString(dir.resolve("lib/helper.cjs"), "const { feature } = require('./plain.js');\n"
        + "module.exports = { shout: (s) => s.toUpperCase() + '!', feature };\n");
    Files.writeString(dir.resolve("lib/plain.js"), "exports.feature = 'required';\n");
    Files.writeString(dir.resolve("lib/esm.js"), "export const esm = 'still an ES module';\n");
    assertEquals("HI! required still an ES module", getJson("""
        import helper, { shout } from './lib/helper.cjs';
        import { esm } from './lib/esm.js';
        export function Get() { return { value: [shout('hi'), helper.feature, esm].join(' ') }; }
        """));
  }

  @Test
  void aDynamicImportResolvesPackagesAndRejectsAMissingOneWithTheSameMessage() throws Exception {
    assertEquals("import / cannot find package \"nope\"", getJson("""
        export async function Get() {
          const found = await import('esm-conditions');
          const missing = await import('nope').then(() => 'loaded', (e) => e.message);
          return { value: found.kind + ' / ' + missing.slice(missing.indexOf('cannot find package'),
              missing.indexOf('cannot find package') + 26) };
        }
        """));
  }

  @Test
  void aCommonJsPackageThatThrowsWhileLoadingNamesItsFileAndLine() throws Exception {
    String m = loadError("import x from 'cjs-throws';\nexport function Get() {}");
    Path index = dir.toRealPath().resolve("node_modules/cjs-throws/index.js");
    assertTrue(m.contains("Error: cjs-throws needs a token"), m);
    assertTrue(m.contains("(" + index + ":3"), m);
  }

  @Test
  void aMissingPackageNamesTheDirectoriesLookedInUpToThePluginDirectory() throws Exception {
    Files.writeString(dir.resolve("lib/needs-yaml.mjs"), "export { default } from 'yaml';\n");
    String m = loadError("import x from './lib/needs-yaml.mjs';\nexport function Get() {}");
    Path real = dir.toRealPath();
    assertTrue(m.contains("cannot find package \"yaml\" imported by " + real.resolve("lib/needs-yaml.mjs")
        + ": looked in " + real.resolve("lib/node_modules") + ", " + real.resolve("node_modules") + " ("), m);
    assertFalse(m.contains(real.getParent().resolve("node_modules").toString()), m);
    assertFalse(m.contains("Error reading module"), m);
  }

  @Test
  void aMissingEntryFileNamesThePackageJsonField() {
    String m = loadError("import x from 'broken-main';\nexport function Get() {}");
    assertTrue(m.contains("package \"broken-main\": \"main\" in "), m);
    assertTrue(m.contains("names missing.js, which does not exist"), m);
  }

  @Test
  void aSubpathThePackageDoesNotExportIsRefused() {
    String m = loadError("import x from 'esm-conditions/hidden.js';\nexport function Get() {}");
    assertTrue(m.contains("package \"esm-conditions\""), m);
    assertTrue(m.contains("does not export \"./hidden.js\""), m);
  }

  @Test
  void nodeBuiltinsAreRefusedNamingTheGlobalsThatExist() {
    for (String specifier : new String[] {"fs", "node:fs", "node:child_process"}) {
      String m = loadError("import x from '" + specifier + "';\nexport function Get() {}");
      assertTrue(m.contains("Node built-in module node:" + specifier.replace("node:", "") + " is not available"), m);
      assertTrue(m.contains("globals fs (the files directory), process, Buffer, crypto, fetch"), m);
    }
  }

  @Test
  void anInstalledPackageNamedLikeABuiltinIsUsedButNodePrefixedOnesNeverAre() throws Exception {
    assertEquals("true", getJson("""
        import EventEmitter from 'events';
        export function Get() { return { value: String(new EventEmitter().polyfill) }; }
        """));
    String m = loadError("import e from 'node:events';\nexport function Get() {}");
    assertTrue(m.contains("Node built-in module node:events is not available"), m);
  }

  @Test
  void aPackageLinkedOutOfThePluginDirectoryIsRefused() throws IOException {
    Files.createDirectories(outside.resolve("escaper"));
    Files.writeString(outside.resolve("escaper/index.js"), "export default 'escaped';\n");
    Files.createSymbolicLink(dir.resolve("node_modules/escaper"), outside.resolve("escaper"));
    String m = loadError("import x from 'escaper';\nexport function Get() {}");
    assertTrue(m.contains("package \"escaper\": " + dir.toRealPath().resolve("node_modules/escaper") + " links to "
        + outside.toRealPath().resolve("escaper") + ", outside the plugin's directory"), m);
  }

  @Test
  void aPackageLinkedIntoAStoreInsideThePluginDirectoryLoads() throws Exception {
    // pnpm's layout: node_modules/NAME links to its copy in the store, node_modules/.pnpm.
    Path stored = Files.createDirectories(dir.resolve("node_modules/.pnpm/linked@1.0.0/node_modules/linked"));
    Files.writeString(stored.resolve("index.js"), "exports.linked = 'from the store';\n");
    Files.createSymbolicLink(dir.resolve("node_modules/linked"), Path.of(".pnpm/linked@1.0.0/node_modules/linked"));
    assertEquals("from the store", getJson("""
        import { linked } from 'linked';
        export function Get() { return { value: linked }; }
        """));
  }

  @Test
  void everyPackageFileReadIsAModuleFileForDevModeAndPacking() throws Exception {
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        import { answer } from 'cjs-chain';
        export function Get() { return { value: String(answer) }; }
        """)) {
      Path chain = dir.toRealPath().resolve("node_modules/cjs-chain");
      for (Path file : new Path[] {chain.resolve("package.json"), chain.resolve("lib/index.js"),
          chain.resolve("lib/helper.js"), chain.resolve("data.json"), chain.resolve("node_modules/cjs-dep/index.js")}) {
        assertTrue(runtime.moduleFiles().contains(file), file + " in " + runtime.moduleFiles());
      }
    }
  }
}
