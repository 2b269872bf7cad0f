package dev.bridge.plugin;

/** An environment variable the host (or the user) set holds a value this plugin cannot use. */
public final class InvalidEnvironmentException extends RuntimeException {
  private final String variable;
  private final String value;

  public InvalidEnvironmentException(String variable, String value, String problem) {
    this(variable, value, problem, null);
  }

  public InvalidEnvironmentException(String variable, String value, String problem, Throwable cause) {
    super(variable + "=" + abbreviate(value) + ": " + problem, cause);
    this.variable = variable;
    this.value = value;
  }

  public String variable() {
    return variable;
  }

  public String value() {
    return value;
  }

  // A PEM certificate is a few hundred characters with newlines; the whole of it would drown the actual problem.
  private static String abbreviate(String value) {
    if (value == null) {
      return "<unset>";
    }
    String oneLine = value.replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() <= 80 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 77) + "...'";
  }
}
