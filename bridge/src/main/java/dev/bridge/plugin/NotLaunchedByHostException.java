package dev.bridge.plugin;

/**
 * The magic cookie is missing or wrong: a person ran the binary by hand instead of a host launching it. The message is
 * the sentence go-plugin shows in that case, meant to be printed as is to stderr before exiting with status 1.
 */
public final class NotLaunchedByHostException extends Exception {
  static final String MESSAGE =
      "This binary is a plugin. These are not meant to be executed directly.\n"
          + "Please execute the program that consumes these plugins, which will\n"
          + "load any plugins automatically";

  private final String cookieKey;

  public NotLaunchedByHostException(String cookieKey) {
    super(MESSAGE);
    this.cookieKey = cookieKey;
  }

  /** The environment variable that should have held the cookie, for debug logs (never shown to the user). */
  public String cookieKey() {
    return cookieKey;
  }
}
