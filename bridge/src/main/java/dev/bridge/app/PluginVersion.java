package dev.bridge.app;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.reload.FileDigests;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.HandlerRuleException;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import dev.bridge.script.ScriptOptions;
import dev.bridge.script.ScriptPool;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One loaded version of a plugin, checked and ready to serve: the services its schema defines and the
 * instances of its script. Serving loads one; dev mode loads another beside it at each change.
 *
 * @param spec what it was loaded from
 * @param schema the files the services were read from, with their message types
 * @param services the services to serve
 * @param scripts the script's instances, which the version's owner closes
 * @param contents the files it was loaded from (script, modules, proto files, manifest) with their
 *     contents as loaded, which dev mode watches
 */
public record PluginVersion(PluginSpec spec, ProtoSchema schema, List<ServiceDescriptor> services, ScriptPool scripts,
    FileDigests contents) {

  /**
   * Loads the schema and the script and checks its exports against the rule for which export serves a method
   * ({@link HandlerCoverage}); nothing is left open when it fails.
   */
  public static PluginVersion load(JsEngine engine, PluginSpec spec, Path filesRoot, ConsoleSink console)
      throws SchemaLoadException, ScriptLoadException, HandlerRuleException {
    return load(() -> engine, spec, filesRoot, console);
  }

  /**
   * The same with an engine still being created: the schema is parsed meanwhile, and only the script
   * waits for the engine.
   */
  public static PluginVersion load(Supplier<JsEngine> engine, PluginSpec spec, Path filesRoot, ConsoleSink console)
      throws SchemaLoadException, ScriptLoadException, HandlerRuleException {
    // Digests taken before the files are read: an edit saved while loading then counts as a change.
    FileDigests before = FileDigests.read(spec.namedFiles());
    ProtoSchema schema = spec.schema().read();
    before = before.andNow(schema.sourceFiles());
    List<ServiceDescriptor> services = schema.select(spec.services());
    ScriptOptions options = new ScriptOptions(spec.callTimeout(), spec.loadTimeout()).withSchema(schema.files())
        .withArgs(spec.hostArgs()).withBroker(spec.broker())
        .withPermissions(spec.permissions()).withEnvironment(spec.environment());
    ScriptPool scripts = ScriptPool.load(engine.get(), spec.script(), filesRoot, console, options,
        spec.instances());
    try {
      HandlerCoverage.check(spec.script(), scripts.exports(), services, schema.services());
    } catch (HandlerRuleException | RuntimeException e) {
      scripts.close();
      throw e;
    }
    Set<Path> files = new HashSet<>(scripts.moduleFiles());
    files.addAll(schema.sourceFiles());
    spec.manifest().ifPresent(manifest -> files.add(manifest.toAbsolutePath().normalize()));
    FileDigests contents = before.and(FileDigests.of(scripts.moduleDigests())).andNow(files).only(files);
    return new PluginVersion(spec, schema, services, scripts, contents);
  }

  /** The files it was loaded from. */
  public Set<Path> files() {
    return contents.files();
  }
}
