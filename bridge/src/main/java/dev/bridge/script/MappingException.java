package dev.bridge.script;

/**
 * A JavaScript value that does not fit the message it should become. The message reads
 * {@code <path>: <what was wrong>}, e.g. {@code response.value: expected bytes (Uint8Array or string), got number}.
 */
final class MappingException extends Exception {
  MappingException(String path, String problem) {
    super(path + ": " + problem, null, false, false);
  }
}
