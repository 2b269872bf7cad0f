package dev.bridge.schema;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * How Wire's loader finds an imported file, redone without Wire so that a cached schema can be checked
 * against the disk as it is now. Wire looks the name up under every import root and takes the one root
 * that has it: under two roots it is an error (ambiguous), under none it is one of Wire's built-in files
 * (the well-known types) or an error. "Has it" means that something exists there, symbolic links not
 * followed (okio's metadata). A root that is itself a symbolic link is searched at its target.
 *
 * <p>Paths are only built here from names and link targets in plain form ({@code /}-separated, no empty
 * or {@code .} segment, no backslash; names relative), for which okio's path arithmetic and
 * {@link Path#resolve} give the same string; anything else is refused with an IOException, which makes
 * the cache step aside.
 */
final class ImportLookup {
  private ImportLookup() {}

  /** The roots that have {@code name}, in root order: Wire takes an import from the one root that has it. */
  static List<Path> rootsHaving(List<Path> roots, String name) throws IOException {
    List<Path> having = new ArrayList<>();
    for (Path root : roots) {
      if (exists(path(root, name))) {
        having.add(root);
      }
    }
    return having;
  }

  /** The path Wire reads {@code name} from under {@code root}. */
  static Path path(Path root, String name) throws IOException {
    requirePlain(name, false, "file name");
    return directory(root).resolve(name);
  }

  /** The directory Wire searches for {@code root}: the root, or the target of a root that is a symbolic link. */
  static Path directory(Path root) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isSymbolicLink()) {
      return root;
    }
    Path target = Files.readSymbolicLink(root);
    requirePlain(target.toString(), true, "link target of " + root);
    if (!Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
      throw new IOException(root + " links to " + target + ", which Wire does not search as a directory");
    }
    return target;
  }

  /** okio's notion: anything is there, a dangling symbolic link included; an unreadable path is not. */
  private static boolean exists(Path path) throws IOException {
    try {
      Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return true;
    } catch (FileSystemException e) {
      return false;
    }
  }

  private static void requirePlain(String path, boolean absoluteAllowed, String what) throws IOException {
    boolean absolute = path.startsWith("/");
    String relative = absolute ? path.substring(1) : path;
    boolean plain = (absoluteAllowed || !absolute) && !relative.isEmpty() && !relative.contains("\\");
    for (String segment : relative.split("/", -1)) {
      plain &= !segment.isEmpty() && !segment.equals(".");
    }
    if (!plain) {
      throw new IOException(what + " " + path + " is not in the plain form the cache can check");
    }
  }
}
