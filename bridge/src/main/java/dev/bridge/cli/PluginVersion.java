package dev.bridge.cli;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.reload.FileDigests;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import dev.bridge.script.ScriptOptions;
import dev.bridge.script.ScriptPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One loaded version of a plugin, checked and ready to serve: the services its schema defines and the
 * instances of its script. Serving loads one; dev mode loads another beside it at each change.
 *
 * @param config the configuration it was loaded from
 * @param schema the files the services were read from, with their message types
 * @param services the services to serve
 * @param scripts the script's instances, which the version's owner closes
 * @param contents the files it was loaded from (script, modules, proto files, manifest) with their
 *     contents as loaded, which dev mode watches
 */
record PluginVersion(PluginConfig config, ProtoSchema schema, List<ServiceDescriptor> services, ScriptPool scripts,
    FileDigests contents) {

  /**
   * Loads the schema and the script and checks its exports against the rule for which export serves a method
   * ({@link HandlerCoverage}); nothing is left open when it fails.
   */
  static PluginVersion load(JsEngine engine, PluginConfig config, Path filesRoot, ConsoleSink console)
      throws SchemaLoadException, ScriptLoadException, StartupException {
    return load(() -> engine, config, filesRoot, console);
  }

  /**
   * The same with an engine still being created: the schema is parsed meanwhile, and only the script
   * waits for the engine.
   */
  static PluginVersion load(Supplier<JsEngine> engine, PluginConfig config, Path filesRoot, ConsoleSink console)
      throws SchemaLoadException, ScriptLoadException, StartupException {
    // Digests taken before the files are read: an edit saved while loading then counts as a change.
    FileDigests before = FileDigests.read(namedFiles(config));
    ProtoSchema schema = loadSchema(config);
    before = before.andNow(schema.sourceFiles());
    List<ServiceDescriptor> services = schema.select(config.services());
    ScriptOptions options = new ScriptOptions(config.callTimeout(), config.loadTimeout()).withSchema(schema.files())
        .withArgs(config.hostArgs());
    ScriptPool scripts = ScriptPool.load(engine.get(), config.script(), filesRoot, console, options,
        config.instances());
    try {
      HandlerCoverage.check(config.script(), scripts.exports(), services, schema.services());
    } catch (StartupException | RuntimeException e) {
      scripts.close();
      throw e;
    }
    Set<Path> files = new HashSet<>(scripts.moduleFiles());
    files.addAll(schema.sourceFiles());
    config.manifest().ifPresent(manifest -> files.add(manifest.toAbsolutePath().normalize()));
    FileDigests contents = before.and(FileDigests.of(scripts.moduleDigests())).andNow(files).only(files);
    return new PluginVersion(config, schema, services, scripts, contents);
  }

  /** The files it was loaded from. */
  Set<Path> files() {
    return contents.files();
  }

  /** The files the configuration names, known before anything is loaded. */
  private static List<Path> namedFiles(PluginConfig config) {
    List<Path> files = new ArrayList<>(config.protoFiles());
    files.add(config.script());
    config.descriptorSet().ifPresent(files::add);
    config.manifest().ifPresent(files::add);
    return files;
  }

  private static ProtoSchema loadSchema(PluginConfig config) throws SchemaLoadException {
    return new SchemaSource(config.protoFiles(), config.protoPath(), config.descriptorSet(), config.services()).load();
  }
}
