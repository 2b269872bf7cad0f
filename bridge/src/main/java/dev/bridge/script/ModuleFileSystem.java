package dev.bridge.script;

import dev.bridge.reload.FileDigests;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only file access the JavaScript context itself has: reading the plugin's own module files
 * ({@code .js}, {@code .mjs}, {@code .cjs}, and {@code .json} modules) under the directory of the main script, so that relative
 * {@code import}s work, and the npm packages in {@code node_modules} there ({@link PackageResolver}). Read-only;
 * nothing outside that directory (after resolving symbolic links), no directory listing. Scripts reach data files
 * through the {@code fs} global instead. A CommonJS file is served to the ES module loader as a facade module
 * ({@link CommonJsFacade}).
 */
final class ModuleFileSystem implements FileSystem {
  /** Module sources and JSON modules ({@code import data from './x.json' with { type: 'json' }}). */
  private static final Pattern IMPORTABLE = Pattern.compile(".*\\.(js|mjs|cjs|json)");
  private final FileSystem delegate = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
  private final Path root;
  /** The modules read, each with the digest of its contents taken just before it was first read. */
  private final Map<Path, String> modulesRead = new ConcurrentHashMap<>();
  private final PackageJsonFiles packageJsons;
  private final PackageResolver packages;
  private final Map<Path, ModuleFormat> formats = new ConcurrentHashMap<>();
  /** Specifiers that name nothing loadable, by the placeholder path handed to GraalJS, with why. */
  private final Map<Path, Unresolved> unresolved = new ConcurrentHashMap<>();
  private final AtomicInteger unresolvedSerial = new AtomicInteger();
  /**
   * The last absolute path GraalJS parsed: when it resolves a bare specifier it parses the importing module's
   * path and then, at once, the specifier, which alone says nothing of where it was imported from.
   */
  private volatile Path lastAbsolute;

  /** @param root the real path of the script's directory */
  ModuleFileSystem(Path root) {
    this.root = root;
    this.packageJsons = new PackageJsonFiles(root, this::recordRead);
    this.packages = new PackageResolver(root, packageJsons);
  }

  @Override
  public Path parsePath(URI uri) {
    if ("node".equals(uri.getScheme())) {
      return unresolved(uri.toString(), NodeBuiltins.refusal(uri.toString(), importer().toString()));
    }
    return delegate.parsePath(uri);
  }

  @Override
  public Path parsePath(String path) {
    if (PackageResolver.isBare(path) || NodeBuiltins.isBuiltin(path)) {
      try {
        return packages.resolvePackage(path, importer(), PackageResolver.Mode.IMPORT);
      } catch (ModuleNotFoundException e) {
        return unresolved(path, e.getMessage());
      }
    }
    Path parsed = delegate.parsePath(path);
    if (parsed.isAbsolute()) {
      lastAbsolute = parsed;
    }
    return parsed;
  }

  /**
   * The real path of the module that imports the specifier being parsed. The order GraalJS 25 parses in is what
   * tells it (NpmPackagesTest's missing-package test, imported from a subdirectory, would see a change).
   */
  private Path importer() {
    Path last = lastAbsolute;
    try {
      return last == null ? root.resolve("(script)") : last.getParent().toRealPath().resolve(last.getFileName());
    } catch (IOException e) {
      return last;
    }
  }

  private record Unresolved(String specifier, String why) {}

  private Path unresolved(String specifier, String why) {
    Path placeholder = root.resolve(".unresolved-module-" + unresolvedSerial.incrementAndGet());
    unresolved.put(placeholder, new Unresolved(specifier, why));
    return placeholder;
  }

  /** The resolver the CommonJS loader shares, for {@code require}. */
  PackageResolver packages() {
    return packages;
  }

  /** How a module file (a real path) is loaded. */
  ModuleFormat formatOf(Path real) throws ModuleNotFoundException {
    ModuleFormat known = formats.get(real);
    if (known != null) {
      return known;
    }
    ModuleFormat format = ModuleFormat.of(real, packageJsons);
    formats.put(real, format);
    return format;
  }

  /** How {@code require} loads a module file (a real path). */
  ModuleFormat requiredFormatOf(Path real) throws ModuleNotFoundException {
    return ModuleFormat.required(real, packageJsons);
  }

  /** The text of a module file (a real path inside the plugin's directory), recorded as read. */
  String readModule(Path real) throws IOException {
    Path checked = requireInside(real);
    requireImportable(checked, real);
    recordRead(checked);
    return Files.readString(checked);
  }

  private void recordRead(Path real) {
    // Before reading: a digest never newer than the contents loaded, so dev mode sees a later edit as one.
    modulesRead.computeIfAbsent(real, FileDigests::of);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
    requireInside(path);
    delegate.checkAccess(path, modes, linkOptions);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw new AccessDeniedException(dir.toString(), null, "module files are read-only");
  }

  @Override
  public void delete(Path path) throws IOException {
    throw new AccessDeniedException(path.toString(), null, "module files are read-only");
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    for (OpenOption option : options) {
      if (option != StandardOpenOption.READ) {
        throw new AccessDeniedException(path.toString(), null, "module files are read-only");
      }
    }
    Path real = requireInside(path);
    requireImportable(real, path);
    recordRead(real);
    ModuleFormat format;
    try {
      format = formatOf(real);
    } catch (ModuleNotFoundException e) {
      throw new NoSuchFileException(path.toString(), null, e.getMessage());
    }
    if (format == ModuleFormat.COMMONJS) {
      String facade = CommonJsFacade.source(real, Files.readString(real));
      return new BytesChannel(facade.getBytes(StandardCharsets.UTF_8));
    }
    return delegate.newByteChannel(real, options, attrs);
  }

  private static void requireImportable(Path real, Path asked) throws AccessDeniedException {
    String name = real.getFileName() == null ? "" : real.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!IMPORTABLE.matcher(name).matches()) {
      throw new AccessDeniedException(asked.toString(), null, "only .js, .mjs, .cjs and .json files can be imported");
    }
  }

  /** The module files the context has read so far (real paths), which dev mode watches. */
  Set<Path> modulesRead() {
    return Set.copyOf(modulesRead.keySet());
  }

  /** The module files read so far, each with the digest of its contents as read. */
  Map<Path, String> moduleDigests() {
    return Map.copyOf(modulesRead);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    throw new AccessDeniedException(dir.toString(), null, "directory listing is not allowed");
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return path.isAbsolute() ? path : root.resolve(path);
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
    requireInside(path);
    return delegate.toRealPath(path, linkOptions);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    requireInside(path);
    return delegate.readAttributes(path, attributes, options);
  }

  private Path requireInside(Path path) throws IOException {
    Unresolved refused = unresolved.get(path);
    if (refused != null) {
      throw new NoSuchFileException(refused.specifier(), null, refused.why());
    }
    Path absolute = toAbsolutePath(path).normalize();
    if (!absolute.startsWith(root)) {
      throw new AccessDeniedException(path.toString(), null, "outside the script directory " + root);
    }
    Path real = absolute.toRealPath();
    if (!real.startsWith(root)) {
      throw new AccessDeniedException(path.toString(), null, "links outside the script directory " + root);
    }
    return real;
  }
}
