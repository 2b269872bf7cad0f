package dev.bridge.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * What the host put after SCRIPT: the script's, never the bridge's. Said in the log, so that a plugin author who
 * wrote a bridge option after SCRIPT learns why it had no effect.
 */
final class HostArgs {
  private static final Logger LOG = Logger.getLogger("dev.bridge.cli");

  private HostArgs() {}

  static void log(List<String> hostArgs) {
    if (hostArgs.isEmpty()) {
      return;
    }
    LOG.log(Level.FINE, "arguments after the script are passed to it as bridge.args", Map.of("args", hostArgs));
    for (String option : bridgeOptionsAmong(hostArgs)) {
      LOG.log(Level.WARNING, option + " after the script was passed to the script (bridge.args), not read by "
          + "bridgejs: options of bridgejs go before SCRIPT (bridgejs [OPTIONS] SCRIPT [HOST-ARGS...])",
          Map.of("arg", option));
    }
  }

  /** The arguments that name an option of {@code bridgejs SCRIPT}, alone or as {@code --name=value}. */
  static List<String> bridgeOptionsAmong(List<String> hostArgs) {
    if (hostArgs.stream().noneMatch(arg -> arg.startsWith("-"))) {
      return List.of(); // the usual case; the option names are not even looked up
    }
    Set<String> names = optionNames();
    List<String> found = new ArrayList<>();
    for (String arg : hostArgs) {
      int equals = arg.indexOf('=');
      if (names.contains(equals > 0 ? arg.substring(0, equals) : arg)) {
        found.add(arg);
      }
    }
    return found;
  }

  /** From the options' own declarations, so that a new option is covered without a list to keep. */
  private static Set<String> optionNames() {
    Set<String> names = new HashSet<>(List.of("-h", "--help", "-V", "--version")); // picocli's standard options
    for (Class<?> type = ServeOptions.class; type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        Option option = field.getAnnotation(Option.class);
        if (option != null) {
          names.addAll(List.of(option.names()));
        }
      }
    }
    return names;
  }
}
