package dev.bridge.script;

/**
 * A failed {@code fs} call, reported to the script as a Node-like error: {@code code} (e.g.
 * {@code ENOENT}), {@code syscall}, {@code path} and a message such as
 * {@code ENOENT: no such file or directory, open 'data/x'}. One that a permission would have allowed is a
 * {@link #deniedPermission() permission denial}, which fails a call it escapes with {@code PERMISSION_DENIED}.
 */
final class FsException extends Exception {
  private final String code;
  private final String syscall;
  private final String path;
  private final boolean deniedPermission;

  FsException(String code, String description, String syscall, String path) {
    this(code, description, syscall, path, "");
  }

  /** With {@code hint} after Node's text, saying what to do about it. */
  FsException(String code, String description, String syscall, String path, String hint) {
    this(code, description, syscall, path, hint, false);
  }

  /** As a permission denial when {@code deniedPermission}; {@code hint} then says which permission to add. */
  FsException(String code, String description, String syscall, String path, String hint, boolean deniedPermission) {
    super(code + ": " + description + ", " + syscall + " '" + path + "'" + (hint.isEmpty() ? "" : " (" + hint + ")"),
        null, false, false);
    this.code = code;
    this.syscall = syscall;
    this.path = path;
    this.deniedPermission = deniedPermission;
  }

  /** Whether a permission (permissions.read or write) would have allowed it. */
  boolean deniedPermission() {
    return deniedPermission;
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
