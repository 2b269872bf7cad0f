package dev.bridge.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells when the contents of a set of files change, once they have settled. Editors save in several
 * steps (write a temporary file and rename it over the old one; truncate and then write; several
 * quick saves), so events only start a quiet period, and when it ends without further events the files'
 * contents are compared with what was last reported: a save that changes nothing reports nothing.
 *
 * <p>Watches the files' directories (a file replaced by rename is a new file, which a watch on the
 * file itself would lose). The callback runs on the watcher's own thread, one at a time.
 *
 * <p>Given the contents a version was loaded from ({@link FileDigests}), it compares them with the files
 * as soon as it watches them: an edit saved while loading, before any watch existed, is a change too.
 */
public final class FileWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("dev.bridge.reload");

  private final WatchService service;
  private final Duration quiet;
  private final Consumer<Set<Path>> onChange;
  private final Thread thread;
  private final Map<Path, WatchKey> directories = new HashMap<>();
  /** Guarded by this: the files and their contents' digests as last reported or loaded. */
  private Map<Path, String> reported = new HashMap<>();
  /** Guarded by this: compare the files with {@link #reported} without waiting for an event. */
  private boolean recheck;

  /**
   * Starts watching.
   *
   * @param files the files, as absolute paths
   * @param quiet how long no event must arrive before the files are compared
   * @param onChange receives the files whose contents differ from the last report
   */
  public FileWatcher(Set<Path> files, Duration quiet, Consumer<Set<Path>> onChange) throws IOException {
    this(FileDigests.read(files), false, quiet, onChange);
  }

  /**
   * Starts watching the files a version was loaded from; if one differs from its digest already, that
   * is reported after the quiet period, as if an event had come.
   *
   * @param loaded the files and their contents as loaded
   */
  public FileWatcher(FileDigests loaded, Duration quiet, Consumer<Set<Path>> onChange) throws IOException {
    this(loaded, true, quiet, onChange);
  }

  private FileWatcher(FileDigests loaded, boolean compareNow, Duration quiet, Consumer<Set<Path>> onChange)
      throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.quiet = quiet;
    this.onChange = onChange;
    watch(loaded.asMap(), compareNow);
    this.thread = Thread.ofPlatform().daemon().name("bridge-file-watcher").start(this::run);
  }

  /**
   * Watches exactly these files from now on (a reload may import other modules than before); a file
   * watched already keeps its last reported contents, a new one is taken as it is now.
   */
  public synchronized void watch(Set<Path> files) throws IOException {
    Map<Path, String> contents = new HashMap<>();
    for (Path file : files) {
      Path absolute = file.toAbsolutePath().normalize();
      contents.put(absolute, reported.containsKey(absolute) ? reported.get(absolute) : FileDigests.of(absolute));
    }
    watch(contents, false);
  }

  /**
   * Watches exactly the files a new version was loaded from, and compares them with those contents
   * after a quiet period, without waiting for an event (they may have changed while it loaded).
   */
  public synchronized void watch(FileDigests loaded) throws IOException {
    watch(loaded.asMap(), true);
  }

  private void watch(Map<Path, String> contents, boolean compareNow) throws IOException {
    Map<Path, String> next = new HashMap<>(contents);
    Set<Path> neededDirectories = new HashSet<>();
    for (Path file : next.keySet()) {
      neededDirectories.add(file.getParent());
    }
    for (Path directory : neededDirectories) {
      if (!directories.containsKey(directory)) {
        directories.put(directory, directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
      }
    }
    directories.entrySet().removeIf(entry -> {
      if (neededDirectories.contains(entry.getKey())) {
        return false;
      }
      entry.getValue().cancel();
      return true;
    });
    reported = next;
    recheck |= compareNow;
  }

  /** The files watched now. */
  public synchronized Set<Path> files() {
    return Set.copyOf(reported.keySet());
  }

  private void run() {
    try {
      while (true) {
        boolean relevant = takeRecheck();
        if (!relevant) {
          relevant = drain(service.take());
        }
        // Quiet period: keep collecting until nothing arrives for a while.
        WatchKey next;
        while ((next = service.poll(quiet.toNanos(), TimeUnit.NANOSECONDS)) != null) {
          relevant |= drain(next);
        }
        if (relevant) {
          report();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: stop
    }
  }

  private synchronized boolean takeRecheck() {
    boolean now = recheck;
    recheck = false;
    return now;
  }

  /** Takes a key's events; true if one may concern a watched file. */
  private synchronized boolean drain(WatchKey key) {
    boolean relevant = false;
    Path directory = key.watchable() instanceof Path p ? p : null;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW || directory == null) {
        relevant = true;
      } else if (event.context() instanceof Path name && reported.containsKey(directory.resolve(name))) {
        relevant = true;
      }
    }
    key.reset();
    return relevant;
  }

  private void report() {
    Set<Path> changed = new TreeSet<>();
    synchronized (this) {
      for (Map.Entry<Path, String> entry : reported.entrySet()) {
        String now = FileDigests.of(entry.getKey());
        if (!now.equals(entry.getValue())) {
          changed.add(entry.getKey());
          entry.setValue(now);
        }
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    try {
      onChange.accept(changed);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "handling a change of " + changed + " failed", e);
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the watch service", e);
    }
    thread.interrupt();
  }

  /** For tests: the directories watched. */
  synchronized List<Path> watchedDirectories() {
    return List.copyOf(directories.keySet());
  }
}
