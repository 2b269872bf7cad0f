package dev.bridge.cache;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The directories the process caches in, each checked usable before it is used: the bridge's own (parsed
 * schemas) and Truffle's resource cache (the native library it unpacks and loads at every start). A host
 * may run the plugin as a user whose home is unreadable ({@code HOME=/root}, {@code user.home=/nonexistent}):
 * then the bridge's cache would be silently useless, and Truffle would print eight lines of warning on
 * stderr, which a host takes for broken log lines. An unusable directory falls back to a private
 * directory under {@code java.io.tmpdir} ({@code bridgejs-UID}, mode 700, checked to be this user's and
 * closed to others, since a native library is loaded from it), else the cache is off; either way with
 * one debug line.
 *
 * @param bridge the bridge's cache directory; empty: no cache
 * @param truffle Truffle's resource cache root to set, when its own default is unusable
 * @param truffleOff Truffle has nowhere to unpack its resources to (its default unusable, and no fallback)
 */
public record WritableCaches(Optional<Path> bridge, Optional<Path> truffle, boolean truffleOff) {
  /** Where Truffle looks for its resource cache root before its defaults. */
  public static final String TRUFFLE_CACHE_PROPERTY = "polyglot.engine.userResourceCache";
  /** A directory of resources Truffle reads instead of unpacking (a native-image build's). */
  static final String TRUFFLE_RESOURCES_PROPERTY = "polyglot.engine.resourcePath";
  /** Truffle's reaction when its attach library cannot be unpacked or loaded: a warning on stderr by default. */
  static final String TRUFFLE_ATTACH_FAILURE_PROPERTY = "polyglotimpl.AttachLibraryFailureAction";
  static final String FALLBACK_PREFIX = "bridgejs-";

  private static final Logger LOG = Logger.getLogger("dev.bridge.cache");
  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

  /** The directory of parsed schemas, if the bridge caches at all. */
  public Optional<Path> schemas() {
    return bridge.map(directory -> directory.resolve("schemas"));
  }

  /** What the process uses, resolved at the first call (the environment does not change while it runs). */
  public static WritableCaches current() {
    return Current.CACHES;
  }

  private static final class Current {
    static final WritableCaches CACHES = resolveAndApply();

    private static WritableCaches resolveAndApply() {
      Where where = Where.ofProcess();
      WritableCaches caches = resolve(where, WritableCaches::usable, Uid::effective);
      caches.truffle().ifPresent(root -> System.setProperty(TRUFFLE_CACHE_PROPERTY, root.toString()));
      if (caches.truffleOff()) {
        // Truffle then runs without its attach library (only the optimizing runtime, BRIDGE_JIT=1, needs
        // it); its warning would be the plain-text stderr lines this class exists to avoid.
        System.setProperty(TRUFFLE_ATTACH_FAILURE_PROPERTY, "ignore");
      }
      return caches;
    }
  }

  /**
   * What the process's environment and properties say: where each cache would be, and the temporary
   * directory to fall back to.
   *
   * @param bridge the bridge's configured cache directory (see {@link CacheDirectory}); empty: off, or
   *     {@code bridgeMissing}
   * @param bridgeMissing why there is no configured directory when caching is not off (no HOME)
   * @param truffle Truffle's default resource cache root; empty: Truffle was told where by a property
   * @param temporary {@code java.io.tmpdir}
   */
  record Where(Optional<Path> bridge, Optional<String> bridgeMissing, Optional<Path> truffle, Path temporary) {
    Where(Optional<Path> bridge, Optional<Path> truffle, Path temporary) {
      this(bridge, Optional.empty(), truffle, temporary);
    }

    static Where ofProcess() {
      Map<String, String> env = System.getenv();
      Optional<Path> bridge = CacheDirectory.of(env);
      boolean off = env.getOrDefault(CacheDirectory.VARIABLE, "").equals(CacheDirectory.OFF);
      Optional<String> missing = bridge.isEmpty() && !off
          ? Optional.of("neither " + CacheDirectory.VARIABLE + ", XDG_CACHE_HOME nor HOME is set")
          : Optional.empty();
      return new Where(bridge, missing, truffleDefault(env, System.getProperties()::getProperty),
          Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
    }
  }

  /** Truffle's own choice of resource cache root (InternalResourceRoots), when no property decides it. */
  static Optional<Path> truffleDefault(Map<String, String> env, java.util.function.UnaryOperator<String> property) {
    if (property.apply(TRUFFLE_CACHE_PROPERTY) != null || property.apply(TRUFFLE_RESOURCES_PROPERTY) != null) {
      return Optional.empty();
    }
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    if (!xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg, "org.graalvm.polyglot"));
    }
    String home = property.apply("user.home");
    return home == null || home.isEmpty() ? Optional.empty() : Optional.of(Path.of(home, ".cache", "org.graalvm.polyglot"));
  }

  /** Checks a directory: empty when it can be used, else why not. */
  interface Check {
    Optional<String> problem(Path directory);
  }

  /** This process's effective user id. */
  interface UidSource {
    long uid() throws IOException;
  }

  /**
   * The caches to use: each configured one if {@code check} passes, else the private fallback under the
   * temporary directory if that passes, else none (the bridge's) or Truffle's attach library off. Logs one
   * debug line when anything falls back or is off.
   */
  static WritableCaches resolve(Where where, Check check, UidSource uid) {
    Map<String, Object> fields = new LinkedHashMap<>();
    List<String> unusable = new ArrayList<>();
    Optional<String> bridgeProblem = where.bridge().isPresent() ? check.problem(where.bridge().get())
        : where.bridgeMissing();
    Optional<String> truffleProblem = where.truffle().flatMap(check::problem);
    bridgeProblem.ifPresent(p -> unusable.add(where.bridge().map(Path::toString).orElse("the bridge's cache") + " (" + p + ")"));
    truffleProblem.ifPresent(p -> unusable.add(where.truffle().get() + " (" + p + ")"));
    if (unusable.isEmpty()) {
      return new WritableCaches(where.bridge(), Optional.empty(), false);
    }
    fields.put("unusable", String.join("; ", unusable));
    Optional<Path> fallback;
    try {
      Path candidate = where.temporary().resolve(FALLBACK_PREFIX + uid.uid());
      Optional<String> problem = privateDirectoryProblem(candidate, uid.uid());
      problem.ifPresent(p -> fields.put("fallback_unusable", candidate + " (" + p + ")"));
      fallback = problem.isEmpty() ? Optional.of(candidate) : Optional.empty();
    } catch (IOException e) {
      fields.put("fallback_unusable", where.temporary() + " (" + e + ")");
      fallback = Optional.empty();
    }
    Optional<Path> bridge = bridgeProblem.isEmpty() ? where.bridge() : fallback.map(f -> f.resolve("bridge"));
    Optional<Path> truffle = truffleProblem.isEmpty() ? Optional.empty() : fallback.map(f -> f.resolve("org.graalvm.polyglot"));
    var caches = new WritableCaches(bridge, truffle, truffleProblem.isPresent() && fallback.isEmpty());
    fields.put("bridge_cache", bridge.map(Path::toString).orElse("off"));
    if (truffleProblem.isPresent()) {
      fields.put("truffle_cache", truffle.map(Path::toString).orElse("off"));
    }
    LOG.log(Level.FINE, fallback.isPresent()
        ? "cache directories not usable; using a private temporary directory (set BRIDGE_CACHE_DIR to choose one)"
        : "cache directories not usable; caching off (set BRIDGE_CACHE_DIR to a writable directory)", fields);
    return caches;
  }

  /**
   * Creates {@code directory} if need be and checks that it can be written. Empty when usable, else the
   * reason.
   */
  static Optional<String> usable(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException | RuntimeException e) {
      return Optional.of(String.valueOf(e));
    }
    if (!Files.isWritable(directory) || !Files.isExecutable(directory)) {
      return Optional.of("not writable by this user");
    }
    return Optional.empty();
  }

  /**
   * Creates the fallback directory with mode 700 if need be and checks that it is a real directory of
   * this user's that nobody else may write: another user could have made it first in a shared
   * {@code /tmp}. Empty when usable, else the reason.
   */
  static Optional<String> privateDirectoryProblem(Path directory, long uid) throws IOException {
    try {
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE));
    } catch (FileAlreadyExistsException e) {
      // checked below, whoever made it
    } catch (IOException e) {
      return Optional.of(String.valueOf(e));
    }
    PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()) {
      return Optional.of("not a directory");
    }
    Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    if (!(owner instanceof Integer id) || id != uid) {
      return Optional.of("owned by uid " + owner + ", not this user's " + uid);
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (!permissions.equals(PRIVATE)) {
      return Optional.of("mode " + PosixFilePermissions.toString(permissions) + ", not rwx------");
    }
    return Optional.empty();
  }
}
