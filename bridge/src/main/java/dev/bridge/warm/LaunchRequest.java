package dev.bridge.warm;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a warm client sends first: everything of its process that a plugin instance reads instead of the runtime's
 * (the command line, the working directory, the whole environment), and the build it was made for.
 *
 * <p>On the wire (a {@link Frame.Type#HELLO} payload): NUL-terminated UTF-8 strings, {@value #MAGIC}, the build id,
 * the working directory, the argument count in decimal and each argument, the variable count and each
 * {@code NAME=value}.
 */
public record LaunchRequest(String buildId, Path cwd, List<String> args, Map<String, String> env) {
  static final String MAGIC = "bridge-warm-1";

  public LaunchRequest {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    if (!cwd.isAbsolute()) {
      throw new IllegalArgumentException("the working directory must be absolute: " + cwd);
    }
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    put(out, MAGIC);
    put(out, buildId);
    put(out, cwd.toString());
    put(out, Integer.toString(args.size()));
    args.forEach(arg -> put(out, arg));
    put(out, Integer.toString(env.size()));
    env.forEach((name, value) -> put(out, name + "=" + value));
    return out.toByteArray();
  }

  /** Parses a hello payload; the message says which part is wrong. */
  public static LaunchRequest decode(byte[] payload) throws IOException {
    Fields fields = new Fields(payload);
    String magic = fields.next("protocol name");
    if (!MAGIC.equals(magic)) {
      throw new IOException("a client of another protocol (" + magic + ", want " + MAGIC + ")");
    }
    String buildId = fields.next("build id");
    String cwdText = fields.next("working directory");
    Path cwd;
    try {
      cwd = Path.of(cwdText);
    } catch (InvalidPathException e) {
      throw new IOException("working directory " + cwdText + ": " + e.getMessage(), e);
    }
    if (!cwd.isAbsolute()) {
      throw new IOException("working directory " + cwdText + ": not absolute");
    }
    int argc = fields.count("argument count");
    List<String> args = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      args.add(fields.next("argument " + i));
    }
    int envc = fields.count("variable count");
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < envc; i++) {
      String entry = fields.next("variable " + i);
      int equals = entry.indexOf('=');
      // As the C library does: an entry without '=' is no variable.
      if (equals > 0) {
        env.putIfAbsent(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    if (fields.remaining()) {
      throw new IOException("bytes after the last variable");
    }
    return new LaunchRequest(buildId, cwd, args, env);
  }

  private static void put(ByteArrayOutputStream out, String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a NUL in " + text);
    }
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }

  private static final class Fields {
    private final byte[] bytes;
    private int at;

    Fields(byte[] bytes) {
      this.bytes = bytes;
    }

    String next(String what) throws IOException {
      for (int end = at; end < bytes.length; end++) {
        if (bytes[end] == 0) {
          String text = new String(bytes, at, end - at, StandardCharsets.UTF_8);
          at = end + 1;
          return text;
        }
      }
      throw new IOException("the hello ends before the " + what);
    }

    int count(String what) throws IOException {
      String text = next(what);
      try {
        int count = Integer.parseInt(text);
        if (count < 0 || count > bytes.length) {
          throw new NumberFormatException();
        }
        return count;
      } catch (NumberFormatException e) {
        throw new IOException(what + " " + text + ": not a count");
      }
    }

    boolean remaining() {
      return at < bytes.length;
    }
  }
}
