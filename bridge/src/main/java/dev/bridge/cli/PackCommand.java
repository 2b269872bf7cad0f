package dev.bridge.cli;

import dev.bridge.app.Plugin;
import dev.bridge.plugin.HclogLevel;
import dev.bridge.plugin.InvalidEnvironmentException;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.HandlerRuleException;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Writes one executable file that a go-plugin host runs with no arguments: a shell stub ({@link PackStub})
 * and a tar archive ({@link PackArchive}) of the plugin's own files, which the stub extracts once and serves
 * with bridgejs and the options given here. The plugin is first loaded as serving loads it, which both checks
 * it and tells which files it reads: the script, the modules it imports, the manifest, the .proto files or
 * descriptor set.
 */
@Command(name = "pack", mixinStandardHelpOptions = true, versionProvider = BridgeVersion.class, abbreviateSynopsis = true,
    customSynopsis = "bridgejs pack [OPTIONS] SCRIPT -o FILE",
    description = {"Packs SCRIPT into one executable FILE that a host runs with no arguments.",
        "FILE holds the script, the modules it imports, its manifest and .proto files, and the options given here "
            + "before SCRIPT; it runs bridgejs (--launcher) on them. Name FILE as the host requires, e.g. "
            + "notification-kv or terraform-provider-kv_v1.0.0. Its SHA-256 is printed on stdout."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:FILE is written",
        "1:FILE cannot be written",
        "2:usage: a bad option, or an option a packed plugin cannot have",
        "3:the plugin did not load: the manifest, a .proto file or the script (as serving reports it)"})
final class PackCommand implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_NOT_WRITTEN = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_NOT_LOADED = 3;

  /** Options naming a file or directory that is packed: the packed plugin names its extracted copy. */
  private static final Set<String> PACKED_PATH_OPTIONS = Set.of("--manifest", "--proto", "--proto-path", "--descriptor-set");
  /** pack's own options, not baked into the plugin. */
  private static final Set<String> OWN_OPTIONS = Set.of("--output", "--launcher");

  @Mixin ServeOptions options = new ServeOptions();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "The executable file to write (replaced if it exists), mode 0755.")
  Path output;

  @Option(names = "--launcher", paramLabel = "PATH",
      description = "The bridgejs command on the machine that runs the plugin, as an absolute path (default: the "
          + "canonical path of this bridgejs). At run time BRIDGE_LAUNCHER overrides it.")
  String launcher;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    HclogLevel level;
    try {
      level = HclogLevel.fromEnv(System.getenv());
    } catch (InvalidEnvironmentException e) {
      err.println(e.getMessage());
      return EXIT_USAGE;
    }
    TerminalLog.install(System.err, level);
    try {
      return run(err, level);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return EXIT_USAGE;
    } catch (StartupException | SchemaLoadException | ScriptLoadException | HandlerRuleException e) {
      err.println(e.getMessage());
      return EXIT_NOT_LOADED;
    } catch (IOException e) {
      err.println(output + ": cannot write it: " + e.getMessage());
      return EXIT_NOT_WRITTEN;
    } finally {
      err.flush();
    }
  }

  private int run(PrintWriter err, HclogLevel level) throws UsageException, StartupException, SchemaLoadException,
      ScriptLoadException, HandlerRuleException, IOException, InterruptedException {
    ParseResult parsed = spec.commandLine().getParseResult();
    if (options.dev) {
      throw new UsageException("--dev: a packed plugin does not reload (its files are extracted copies); "
          + "serve the script itself in dev mode");
    }
    if (parsed.matchedPositionals().size() > 1) {
      throw new UsageException("pack takes no arguments after SCRIPT: the host passes its own at run time, and "
          + "the script reads them as bridge.args");
    }
    String launcherPath = launcherPath();
    Path target = outputFile();

    PluginConfig config = PluginConfig.resolve(options);
    Path filesRoot = options.filesRoot();
    Set<Path> read;
    var console = new ConsoleToStderr(System.err, config.script().getFileName().toString(), level);
    try (JsEngine engine = JsEngine.create()) {
      try (Plugin plugin = Plugin.load(engine, config.spec(), filesRoot, console)) {
        read = plugin.current().files();
      }
    }
    List<Path> importRoots = new ArrayList<>(config.protoPath());
    PackedFiles packed = PackedFiles.of(read, importRoots);
    if (packed.files().containsValue(target.toAbsolutePath().normalize())
        || Files.exists(target) && packed.files().containsValue(target.toRealPath())) {
      throw new UsageException("-o " + output + ": that is one of the plugin's own files");
    }

    byte[] archive = PackArchive.of(packed);
    String archiveSum = PackedFile.sha256(archive);
    byte[] stub = PackStub.text(launcherPath, archiveSum, bakedWords(parsed, packed, config.manifest(), config.script()));
    String fileSum = PackedFile.write(target, stub, archive);
    spec.commandLine().getOut().println(fileSum + "  " + output);
    spec.commandLine().getOut().flush();
    err.println("packed " + packed.files().size() + " files into " + output + " (" + packed.describe() + "); it runs "
        + launcherPath + ", which the machine running it needs, with a JDK 25");
    PackedFile.ownerNote(target).ifPresent(err::println);
    return EXIT_OK;
  }

  /** bridgejs's arguments: the options given to pack, packed paths made extracted paths, then the script. */
  private List<PackStub.Word> bakedWords(ParseResult parsed, PackedFiles packed, Optional<Path> manifest, Path script) throws StartupException {
    List<PackStub.Word> words = new ArrayList<>();
    for (OptionSpec option : parsed.matchedOptions()) {
      String name = option.longestName();
      if (OWN_OPTIONS.contains(name)) {
        continue;
      }
      if (option.arity().max() == 0) {
        words.add(PackStub.Word.literal(name));
        continue;
      }
      for (String value : option.originalStringValues()) {
        if (PACKED_PATH_OPTIONS.contains(name)) {
          words.add(PackStub.Word.packed(name + "=", packed.nameOf(Path.of(value), name)));
        } else {
          // One word, so that a value starting with "-" cannot read as an option.
          words.add(PackStub.Word.literal(name + "=" + value));
        }
      }
    }
    manifestNotBeside(parsed, packed, manifest, script).ifPresent(words::add);
    words.add(PackStub.Word.packed("", packed.nameOf(script, "SCRIPT")));
    return words;
  }

  /**
   * The manifest, named, when the packed script would not find it beside itself: SCRIPT was a symbolic link
   * with the manifest beside the link, and the script is packed by its real path.
   */
  private static Optional<PackStub.Word> manifestNotBeside(ParseResult parsed, PackedFiles packed,
      Optional<Path> manifest, Path script) throws StartupException {
    if (manifest.isEmpty() || parsed.hasMatchedOption("--manifest")) {
      return Optional.empty();
    }
    String name = packed.nameOf(manifest.get(), "manifest");
    String beside = packed.nameOf(script, "SCRIPT");
    String expected = PluginManifest.besideScript(Path.of(beside)).toString();
    return name.equals(expected) ? Optional.empty() : Optional.of(PackStub.Word.packed("--manifest=", name));
  }

  private String launcherPath() throws UsageException {
    if (launcher != null) {
      if (!launcher.startsWith("/")) {
        throw new UsageException("--launcher " + launcher + ": give an absolute path; the host runs the plugin in "
            + "its own working directory");
      }
      return launcher;
    }
    try {
      Path code = Path.of(PackCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // The jar is bridge/target/bridge.jar and the launcher bridge/bin/bridgejs.
      Path beside = code.getParent() == null || code.getParent().getParent() == null ? null
          : code.getParent().getParent().resolve("bin/bridgejs");
      if (Files.isRegularFile(code) && beside != null && Files.isExecutable(beside)) {
        return beside.toRealPath().toString();
      }
      throw new UsageException("cannot tell where bridgejs is (the bridge runs from " + code
          + ", with no bin/bridgejs beside it): give --launcher PATH");
    } catch (URISyntaxException | IOException | RuntimeException e) {
      throw new UsageException("cannot tell where bridgejs is (" + e + "): give --launcher PATH");
    }
  }

  private Path outputFile() throws UsageException {
    Path absolute = output.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new UsageException("-o " + output + ": a directory; give the file to write, named as the host requires");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UsageException("-o " + output + ": no such directory " + parent);
    }
    return absolute;
  }

  /** A wrong command line for pack. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }
}
