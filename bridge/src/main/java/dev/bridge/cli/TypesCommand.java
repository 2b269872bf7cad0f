package dev.bridge.cli;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.typings.Typings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bridgejs types SCRIPT} or {@code bridgejs types FILE.proto...}: TypeScript declarations for the handlers. */
@Command(name = "types", mixinStandardHelpOptions = true, versionProvider = BridgeVersion.class, abbreviateSynopsis = true,
    description = {
        "Writes TypeScript declarations of a script's handlers, for editors.",
        "They hold the request and response types of each method and the globals the bridge provides, so that "
            + "editors complete and type-check the script (JSDoc and // @ts-check).",
        "Given SCRIPT, the .proto files are those of its manifest (SCRIPT's name with .plugin.json) and the "
            + "declarations go beside it as NAME.d.ts; given .proto files, to standard output."})
final class TypesCommand implements Callable<Integer> {
  static final String DECLARATION_SUFFIX = ".d.ts";

  @Parameters(arity = "1..*", paramLabel = "SCRIPT|FILE.proto",
      description = "A plugin script (its manifest names the .proto files), or .proto files.")
  List<Path> inputs = new ArrayList<>();

  @Option(names = {"-I", "--proto-path"}, paramLabel = "DIR",
      description = "An import root for .proto files (repeatable; given SCRIPT, instead of its manifest's protoPath).")
  List<Path> protoPath = new ArrayList<>();

  @Option(names = "--service", paramLabel = "NAME",
      description = "A fully qualified service to declare handlers for (repeatable; default: the manifest's, "
          + "else every service defined).")
  List<String> services = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where to write the declarations; - for standard output.")
  String output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      Path script = script();
      SchemaSource source = script == null
          ? SchemaSource.ofProtoFiles(inputs, protoPath, services)
          : SchemaSource.ofScript(script, protoPath, services);
      ProtoSchema schema = source.load();
      List<ServiceDescriptor> selected = source.select(schema);
      Path target = target(script);
      String text = Typings.generate(schema.files(), selected, moduleSpecifier(script, target)).text();
      if (target == null) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      } else {
        Files.writeString(target, text);
        err.println("bridgejs types: wrote " + target);
      }
      return ServeCommand.EXIT_OK;
    } catch (StartupException | SchemaLoadException e) {
      err.println("bridgejs types: " + e.getMessage());
    } catch (IOException e) {
      err.println("bridgejs types: cannot write " + output + ": " + e);
    }
    return ServeCommand.EXIT_FAILURE;
  }

  /** The script, or null when the inputs are .proto files. */
  private Path script() throws StartupException {
    if (inputs.stream().allMatch(TypesCommand::isProto)) {
      return null;
    }
    if (inputs.size() == 1) {
      return inputs.getFirst();
    }
    throw new StartupException("give one script, or .proto files, not " + String.join(" and ",
        inputs.stream().map(Path::toString).toList()));
  }

  /** The file to write, or null for standard output. */
  private Path target(Path script) {
    if (output != null) {
      return output.equals("-") ? null : Path.of(output);
    }
    return script == null ? null : beside(script);
  }

  /** {@code dir/kv.js} → {@code dir/kv.d.ts}. */
  static Path beside(Path script) {
    return script.resolveSibling(baseName(script) + DECLARATION_SUFFIX);
  }

  private String moduleSpecifier(Path script, Path target) {
    if (target != null) {
      String name = target.getFileName().toString();
      return "./" + (name.endsWith(DECLARATION_SUFFIX) ? name.substring(0, name.length() - DECLARATION_SUFFIX.length())
          : baseName(target));
    }
    return "./" + baseName(script != null ? script : inputs.getFirst());
  }

  private static boolean isProto(Path file) {
    return file.getFileName() != null && file.getFileName().toString().endsWith(".proto");
  }

  /** The file name without its extension. */
  static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
