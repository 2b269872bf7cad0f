package dev.bridge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The files a packed plugin holds, by their path relative to the deepest directory above them all, so that
 * relative paths between them (a manifest's {@code "../proto/kv.proto"}, a module's {@code import "./lib.js"})
 * still hold where they are extracted. Paths are real paths: the bridge reads modules by their real path.
 *
 * @param root the directory the names are relative to
 * @param files each file by its name under {@code root} ({@code /}-separated)
 * @param directories every directory under {@code root} that holds a file or that an option or the manifest
 *     names as an import root (which must exist even when no file was read from it)
 */
record PackedFiles(Path root, SortedMap<String, Path> files, SortedSet<String> directories) {

  /**
   * @param files the files the plugin was loaded from (script, modules, manifest, .proto files or
   *     descriptor set)
   * @param directories directories to keep, such as import roots
   */
  static PackedFiles of(Collection<Path> files, Collection<Path> directories) throws StartupException {
    SortedSet<Path> realFiles = new TreeSet<>();
    for (Path file : files) {
      realFiles.add(real(file, "file"));
    }
    SortedSet<Path> realDirectories = new TreeSet<>();
    for (Path directory : directories) {
      Path real = real(directory, "import root");
      if (!Files.isDirectory(real)) {
        throw new StartupException(directory + ": not a directory (an import root of the plugin)");
      }
      realDirectories.add(real);
    }
    Path root = null;
    for (Path path : realFiles) {
      root = commonAncestor(root, path.getParent());
    }
    for (Path path : realDirectories) {
      root = commonAncestor(root, path);
    }
    if (root == null) {
      throw new IllegalArgumentException("no files to pack");
    }
    SortedMap<String, Path> named = new TreeMap<>();
    SortedSet<String> dirs = new TreeSet<>();
    for (Path file : realFiles) {
      String name = nameUnder(root, file);
      named.put(name, file);
      addParents(dirs, name);
    }
    for (Path directory : realDirectories) {
      String name = nameUnder(root, directory);
      if (!name.isEmpty()) {
        dirs.add(name);
        addParents(dirs, name);
      }
    }
    return new PackedFiles(root, named, dirs);
  }

  /**
   * The name under {@link #root} of a file or directory the command line named, as packed (a file that
   * was not packed has none).
   */
  String nameOf(Path given, String option) throws StartupException {
    Path real = real(given, option);
    if (!real.startsWith(root)) {
      throw new StartupException(option + " " + given + ": not among the plugin's files under " + root);
    }
    String name = nameUnder(root, real);
    if (!files.containsKey(name) && !directories.contains(name) && !name.isEmpty()) {
      throw new StartupException(option + " " + given + ": not among the plugin's files (the plugin did not read it)");
    }
    return name;
  }

  private static Path real(Path path, String what) throws StartupException {
    try {
      return path.toAbsolutePath().toRealPath();
    } catch (NoSuchFileException e) {
      throw new StartupException(path + ": no such " + what, e);
    } catch (IOException e) {
      throw new StartupException(path + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static Path commonAncestor(Path a, Path b) {
    if (a == null) {
      return b;
    }
    Path common = a;
    while (!b.startsWith(common)) {
      common = common.getParent();
    }
    return common;
  }

  private static String nameUnder(Path root, Path path) {
    return root.relativize(path).toString(); // POSIX only: a packed plugin is a shell script
  }

  private static void addParents(SortedSet<String> dirs, String name) {
    for (int slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
      dirs.add(name.substring(0, slash));
    }
  }

  /** For messages: the names, in order. */
  String describe() {
    return String.join(", ", files.keySet());
  }
}
