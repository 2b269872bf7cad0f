package dev.bridge.script;

import dev.bridge.reload.FileDigests;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only file access the JavaScript context itself has: reading the plugin's own module files
 * ({@code .js}, {@code .mjs}, {@code .cjs}, and {@code .json} modules) under the directory of the main script, so that relative
 * {@code import}s work. Read-only; nothing outside that directory (after resolving symbolic links),
 * no directory listing. Scripts reach data files through the {@code fs} global instead.
 */
final class ModuleFileSystem implements FileSystem {
  /** Module sources and JSON modules ({@code import data from './x.json' with { type: 'json' }}). */
  private static final Pattern IMPORTABLE = Pattern.compile(".*\\.(js|mjs|cjs|json)");
  private final FileSystem delegate = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
  private final Path root;
  /** The modules read, each with the digest of its contents taken just before it was first read. */
  private final Map<Path, String> modulesRead = new ConcurrentHashMap<>();

  /** @param root the real path of the script's directory */
  ModuleFileSystem(Path root) {
    this.root = root;
  }

  @Override
  public Path parsePath(URI uri) {
    return delegate.parsePath(uri);
  }

  @Override
  public Path parsePath(String path) {
    return delegate.parsePath(path);
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
    String name = real.getFileName() == null ? "" : real.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!IMPORTABLE.matcher(name).matches()) {
      throw new AccessDeniedException(path.toString(), null, "only .js, .mjs, .cjs and .json files can be imported");
    }
    // Before reading: a digest never newer than the contents loaded, so dev mode sees a later edit as one.
    modulesRead.computeIfAbsent(real, FileDigests::of);
    return delegate.newByteChannel(real, options, attrs);
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
