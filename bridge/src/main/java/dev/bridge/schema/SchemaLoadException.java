package dev.bridge.schema;

/** A service definition that could not be loaded; the message names the file and, where known, line and column. */
public final class SchemaLoadException extends Exception {
  public SchemaLoadException(String message) {
    super(message);
  }

  public SchemaLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
