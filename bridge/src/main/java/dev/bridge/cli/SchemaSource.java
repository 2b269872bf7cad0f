package dev.bridge.cli;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.cache.WritableCaches;
import dev.bridge.schema.CachingProtoLoader;
import dev.bridge.schema.DescriptorSetLoader;
import dev.bridge.schema.ProtoParser;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaCache;
import dev.bridge.schema.SchemaLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a plugin's services are defined: what {@code bridgejs types} and {@code bridgejs init} need, from
 * a script's manifest or from .proto files. Unlike serving, no handshake is needed.
 *
 * @param protoFiles {@code .proto} files, when no descriptor set is given
 * @param protoPath import roots
 * @param descriptorSet a compiled descriptor set, instead of proto files
 * @param services the services named; empty means every service defined
 */
record SchemaSource(List<Path> protoFiles, List<Path> protoPath, Optional<Path> descriptorSet, List<String> services) {
  SchemaSource {
    protoFiles = List.copyOf(protoFiles);
    protoPath = List.copyOf(protoPath);
    services = List.copyOf(services);
  }

  /**
   * The schema a script's manifest declares, resolved as serving resolves it (import roots and service
   * names given replace the manifest's), but without the handshake.
   */
  static SchemaSource ofScript(Path script, List<Path> protoPath, List<String> services) throws StartupException {
    Path manifest = PluginManifest.besideScript(script);
    if (Files.isRegularFile(script) && !Files.exists(manifest)) {
      throw new StartupException(manifest + ": no such manifest, so the .proto files of " + script
          + " are unknown; write the manifest, or give the .proto files instead of the script");
    }
    var options = new ServeOptions();
    options.script = script;
    options.protoPath.addAll(protoPath);
    options.services.addAll(services);
    PluginConfig config = PluginConfig.resolveWithoutHost(options);
    return new SchemaSource(config.protoFiles(), config.protoPath(), config.descriptorSet(), config.services());
  }

  static SchemaSource ofProtoFiles(List<Path> protoFiles, List<Path> protoPath, List<String> services) {
    return new SchemaSource(protoFiles, protoPath, Optional.empty(), services);
  }

  /**
   * The schema: a descriptor set as it is (quick to read), proto files through the schema cache, which
   * spares parsing them while they are unchanged.
   */
  ProtoSchema load() throws SchemaLoadException {
    if (descriptorSet.isPresent()) {
      return new DescriptorSetLoader().load(descriptorSet.get());
    }
    return new CachingProtoLoader(Caches.SCHEMAS, ProtoParser.wire()).load(protoFiles, protoPath);
  }

  private static final class Caches {
    // Resolved once, at the first load: the environment does not change while the process runs.
    static final Optional<SchemaCache> SCHEMAS = WritableCaches.current().schemas()
        .map(directory -> new SchemaCache(directory, BuildIdentity.current()));
  }

  /** The services named, or every service defined (possibly none: types alone are fine for declarations). */
  List<ServiceDescriptor> select(ProtoSchema schema) throws SchemaLoadException {
    return services.isEmpty() ? schema.services() : schema.select(services);
  }
}
