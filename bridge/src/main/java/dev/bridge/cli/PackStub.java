package dev.bridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The POSIX shell script at the head of a packed plugin (resource {@code packed-plugin.sh}): it extracts the
 * archive that follows it, once, and runs bridgejs on the extracted script. Everything it needs is written
 * into it here: where bridgejs is, the archive's SHA-256 and offset, and bridgejs's arguments.
 */
final class PackStub {
  /** Wide enough for any archive; fixed, so that the stub's length is known before the offset is written. */
  private static final int SKIP_DIGITS = 12;

  private PackStub() {}

  /**
   * A word of bridgejs's command line: {@code text}, then, for a packed file, the directory the files are
   * extracted to and the file's name there ({@code --proto=} then {@code <dir>/proto/kv.proto}).
   *
   * @param packedName the name of a packed file or directory, or null for a fixed word
   */
  record Word(String text, String packedName) {
    static Word literal(String text) {
      return new Word(text, null);
    }

    static Word packed(String prefix, String name) {
      return new Word(prefix, name);
    }

    String shell() {
      if (packedName == null) {
        return quote(text);
      }
      return (text.isEmpty() ? "" : quote(text)) + "\"$dir\"" + (packedName.isEmpty() ? "" : quote("/" + packedName));
    }
  }

  /**
   * @param launcher the absolute path of bridgejs on the machine that runs the plugin
   * @param sha256 the archive's SHA-256, hex
   * @param words bridgejs's arguments before the host's
   */
  static byte[] text(String launcher, String sha256, List<Word> words) {
    String args = String.join(" ", words.stream().map(Word::shell).toList());
    String template = template()
        .replace("@LAUNCHER@", quote(launcher))
        .replace("@SHA256@", sha256)
        .replace("@ARGS@", args);
    String placeholder = "@SKIP@";
    int length = template.getBytes(StandardCharsets.UTF_8).length - placeholder.length() + SKIP_DIGITS;
    // tail -c +N starts at byte N, counting from 1: the first byte after the stub.
    String skip = String.format("%0" + SKIP_DIGITS + "d", length + 1);
    byte[] stub = template.replace(placeholder, skip).getBytes(StandardCharsets.UTF_8);
    if (stub.length != length) {
      throw new IllegalStateException("the stub is " + stub.length + " bytes, not " + length);
    }
    return stub;
  }

  /** One shell word: single-quoted, a single quote written as '\''. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static String template() {
    try (InputStream in = Objects.requireNonNull(PackStub.class.getResourceAsStream("packed-plugin.sh"),
        "resource packed-plugin.sh")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the resource packed-plugin.sh", e);
    }
  }
}
