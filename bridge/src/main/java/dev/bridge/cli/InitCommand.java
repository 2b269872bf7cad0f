package dev.bridge.cli;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.scaffold.ScaffoldException;
import dev.bridge.scaffold.StarterPlugin;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bridgejs init DIR --proto FILE}: a starter plugin that serves, and answers UNIMPLEMENTED. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = BridgeVersion.class, abbreviateSynopsis = true,
    description = {
        "Writes a starter plugin into DIR, each method answering UNIMPLEMENTED.",
        "The files: NAME.js with a handler per method that fails with UNIMPLEMENTED, the manifest NAME.plugin.json, "
            + "the declarations NAME.d.ts and a tsconfig.json for editors. Existing files are never overwritten."})
final class InitCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The plugin's directory (created if missing).")
  Path dir;

  @Option(names = "--proto", required = true, paramLabel = "FILE",
      description = "A .proto file defining the service (repeatable).")
  List<Path> protoFiles = new ArrayList<>();

  @Option(names = "--name", paramLabel = "NAME",
      description = "The script's name, without .js (default: the first .proto file's name).")
  String name;

  @Option(names = {"-I", "--proto-path"}, paramLabel = "DIR", description = "An import root for .proto files (repeatable).")
  List<Path> protoPath = new ArrayList<>();

  @Option(names = "--service", paramLabel = "NAME",
      description = "A fully qualified service to serve (repeatable; default: every service defined).")
  List<String> services = new ArrayList<>();

  @Option(names = "--magic-cookie-key", paramLabel = "KEY",
      description = "The environment variable the host sets (default: a placeholder to fill in).")
  String magicCookieKey;

  @Option(names = "--magic-cookie-value", paramLabel = "VALUE",
      description = "Its expected value, or '*' for any non-empty value (default: a placeholder to fill in).")
  String magicCookieValue;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      SchemaSource source = SchemaSource.ofProtoFiles(protoFiles, protoPath, services);
      ProtoSchema schema = source.load();
      List<ServiceDescriptor> selected = source.select(schema);
      var plugin = new StarterPlugin.Spec(dir, name == null ? TypesCommand.baseName(protoFiles.getFirst()) : name,
          protoFiles, protoPath, schema.files(), selected, magicCookieKey, magicCookieValue);
      List<StarterPlugin.File> files = StarterPlugin.files(plugin);
      StarterPlugin.write(files);
      files.forEach(file -> err.println("bridgejs init: wrote " + file.path()));
      Path script = files.getFirst().path();
      if (StarterPlugin.needsHandshake(plugin)) {
        err.println("bridgejs init: fill in handshake.magicCookieKey and magicCookieValue in " + files.get(1).path()
            + " with your host's (its go-plugin HandshakeConfig; magicCookieValue \"*\" accepts any value, for a host "
            + "that makes a new one at each launch), or give --magic-cookie-key and --magic-cookie-value");
      }
      err.println("bridgejs init: the host's plugin command is: bridgejs " + script
          + "; every method answers UNIMPLEMENTED until its handler is written");
      return ServeCommand.EXIT_OK;
    } catch (SchemaLoadException | ScaffoldException e) {
      err.println("bridgejs init: " + e.getMessage());
      return ServeCommand.EXIT_FAILURE;
    }
  }
}
