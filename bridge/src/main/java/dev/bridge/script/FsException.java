package dev.bridge.script;

/**
 * A failed {@code fs} call, reported to the script as a Node-like error: {@code code} (e.g.
 * {@code ENOENT}), {@code syscall}, {@code path} and a message such as
 * {@code ENOENT: no such file or directory, open 'data/x'}.
 */
final class FsException extends Exception {
  private final String code;
  private final String syscall;
  private final String path;

  FsException(String code, String description, String syscall, String path) {
    this(code, description, syscall, path, "");
  }

  /** With {@code hint} after Node's text, saying what to do about it. */
  FsException(String code, String description, String syscall, String path, String hint) {
    super(code + ": " + description + ", " + syscall + " '" + path + "'" + (hint.isEmpty() ? "" : " (" + hint + ")"),
        null, false, false);
    this.code = code;
    this.syscall = syscall;
    this.path = path;
  }

  String code() {
    return code;
  }

  String syscall() {
    return syscall;
  }

  String path() {
    return path;
  }
}
