package dev.bridge.scaffold;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.typings.TsConfig;
import dev.bridge.typings.Typings;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The files of a new plugin: {@code NAME.js} with a stub handler per method, the manifest
 * {@code NAME.plugin.json}, the declarations {@code NAME.d.ts} and a {@code tsconfig.json} for editors.
 * Existing files are never overwritten: if one exists, nothing is written.
 */
public final class StarterPlugin {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

  /** One file to write. */
  public record File(Path path, String text) {}

  /**
   * What the plugin is made of.
   *
   * @param dir where its files go
   * @param name the script's base name
   * @param protoFiles the .proto files the manifest names
   * @param protoPath import roots the manifest names
   * @param schemaFiles the loaded descriptors of {@code protoFiles}
   * @param services the services it serves (at least one)
   * @param magicCookieKey the host's, or null for a placeholder
   * @param magicCookieValue the host's, or null for a placeholder
   */
  public record Spec(Path dir, String name, List<Path> protoFiles, List<Path> protoPath,
      List<FileDescriptor> schemaFiles, List<ServiceDescriptor> services, String magicCookieKey,
      String magicCookieValue) {}

  private StarterPlugin() {}

  /** Whether the handshake was left as placeholders in the manifest, to be filled in. */
  public static boolean needsHandshake(Spec spec) {
    return spec.magicCookieKey() == null || spec.magicCookieValue() == null;
  }

  /** Whether a manifest's cookie key or value is still the placeholder a starter manifest has. */
  public static boolean isHandshakePlaceholder(String value) {
    return StarterManifest.KEY_PLACEHOLDER.equals(value) || StarterManifest.VALUE_PLACEHOLDER.equals(value);
  }

  public static List<File> files(Spec spec) throws ScaffoldException {
    if (!NAME.matcher(spec.name()).matches()) {
      throw new ScaffoldException("plugin name \"" + spec.name() + "\": use letters, digits, _ and - "
          + "(it names the files: NAME.js, NAME.plugin.json, NAME.d.ts)");
    }
    if (spec.services().isEmpty()) {
      throw new ScaffoldException(String.join(", ", spec.protoFiles().stream().map(Path::toString).toList())
          + ": defines no service, so there is no handler to write");
    }
    String module = "./" + spec.name();
    Typings.Declarations declarations = Typings.generate(spec.schemaFiles(), spec.services(), module);
    String protoNames = String.join(", ", spec.schemaFiles().stream().map(FileDescriptor::getName).toList());
    Path dir = spec.dir();
    return List.of(
        new File(dir.resolve(spec.name() + ".js"), StarterScript.text(spec.services(), declarations, module, protoNames)),
        new File(dir.resolve(spec.name() + ".plugin.json"), StarterManifest.text(dir, spec.protoFiles(),
            spec.protoPath(), spec.services().stream().map(ServiceDescriptor::getFullName).toList(),
            spec.magicCookieKey(), spec.magicCookieValue())),
        new File(dir.resolve(spec.name() + ".d.ts"), declarations.text()),
        new File(dir.resolve(TsConfig.FILE_NAME), TsConfig.TEXT));
  }

  /** Writes every file, or none: an existing file is an error naming it, and nothing is left half done. */
  public static void write(List<File> files) throws ScaffoldException {
    for (File file : files) {
      if (Files.exists(file.path(), LinkOption.NOFOLLOW_LINKS)) {
        throw exists(file.path());
      }
    }
    List<Path> written = new ArrayList<>();
    try {
      for (File file : files) {
        Files.createDirectories(file.path().toAbsolutePath().getParent());
        Files.writeString(file.path(), file.text(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        written.add(file.path());
      }
    } catch (FileAlreadyExistsException e) {
      throw undone(written, exists(Path.of(e.getFile())));
    } catch (IOException e) {
      throw undone(written, new ScaffoldException("cannot write " + e.getMessage() + " ("
          + e.getClass().getSimpleName() + ")", e));
    }
  }

  private static ScaffoldException exists(Path file) {
    return new ScaffoldException(file + " already exists; init never overwrites a file: "
        + "choose another directory or --name");
  }

  /** Removes the files written before a failure; what cannot be removed is recorded on the failure. */
  private static ScaffoldException undone(List<Path> written, ScaffoldException failure) {
    for (Path path : written) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
    return failure;
  }
}
