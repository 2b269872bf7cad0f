package dev.bridge.plugin;

/**
 * The magic cookie is missing or wrong: a person ran the binary by hand, or a host launched it with another
 * handshake than the plugin's. Neither the expected nor the found value is ever part of a message: a cookie may be
 * a secret of the host's.
 *
 * <p>{@link #getMessage()} is the reason alone, naming the variable; {@link #forPerson} is what a person who ran the
 * plugin by hand reads (go-plugin's own sentence first, then the reason and how to run a handler without a host);
 * {@link #forHost} is the log line a host shows when it launched the plugin with another handshake.
 */
public final class NotLaunchedByHostException extends Exception {
  /** What a Go plugin prints in this case, first, so that the refusal reads the same as a Go plugin's. */
  static final String GO_PLUGIN_SENTENCE =
      "This binary is a plugin. These are not meant to be executed directly.\n"
          + "Please execute the program that consumes these plugins, which will\n"
          + "load any plugins automatically";

  /** What the environment held instead of an accepted cookie. */
  public enum Found {
    UNSET("is not set"),
    EMPTY("is set but empty"),
    OTHER_VALUE("holds another value than the plugin's handshake expects");

    private final String words;

    Found(String words) {
      this.words = words;
    }
  }

  private final String cookieKey;
  private final Found found;

  public NotLaunchedByHostException(String cookieKey, Found found) {
    super("the magic cookie variable " + cookieKey + " " + found.words);
    this.cookieKey = cookieKey;
    this.found = found;
  }

  /** The environment variable that should have held the cookie. */
  public String cookieKey() {
    return cookieKey;
  }

  public Found found() {
    return found;
  }

  /**
   * For a person who ran the plugin by hand.
   *
   * @param script the script served, to show the command that runs one of its handlers without a host
   */
  public String forPerson(String script) {
    return GO_PLUGIN_SENTENCE + "\n\n"
        + "(" + getMessage() + ": a go-plugin host sets it when it launches the plugin.\n"
        + "To run one of the script's handlers without a host: bridgejs call " + script + " METHOD [JSON])";
  }

  /** For the log of a host that launched the plugin with another handshake than the plugin's. */
  public String forHost() {
    String fix = switch (found) {
      case UNSET -> "the host sets another variable: make the plugin's handshake.magicCookieKey (or "
          + "--magic-cookie-key) the host's HandshakeConfig.MagicCookieKey";
      case EMPTY, OTHER_VALUE -> "make the plugin's handshake.magicCookieValue (or --magic-cookie-value) the host's "
          + "HandshakeConfig.MagicCookieValue, or \"" + HandshakeConfig.ANY_VALUE + "\" to accept any non-empty value "
          + "(for a host that makes a new one at each launch)";
    };
    return "refusing to serve: " + getMessage() + "; " + fix;
  }
}
