package dev.bridge.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the app protocol version to serve from the host's {@code PLUGIN_PROTOCOL_VERSIONS}, the way go-plugin's
 * server does: the highest version both sides know. When nothing matches (or the host sent no list, as very old hosts
 * do) the plugin still serves its lowest version and leaves it to the host to refuse it, because the host is the side
 * that can tell its user what went wrong.
 */
public final class ProtocolVersions {
  public static final String ENV = "PLUGIN_PROTOCOL_VERSIONS";

  private ProtocolVersions() {}

  /**
   * The outcome of negotiation.
   *
   * @param version the app protocol version to announce in the handshake
   * @param agreed whether the host listed that version (false means the host will most likely refuse it)
   * @param warnings one line per entry of the host's list that was not a number and was skipped
   */
  public record Negotiated(int version, boolean agreed, List<String> warnings) {
    public Negotiated {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Negotiates against the host's list.
   *
   * @param supported the versions this plugin serves (non-empty)
   * @param hostList the raw value of {@code PLUGIN_PROTOCOL_VERSIONS}, or null when unset
   */
  public static Negotiated negotiate(List<Integer> supported, String hostList) {
    if (supported.isEmpty()) {
      throw new IllegalArgumentException("no app protocol versions to negotiate");
    }
    List<String> warnings = new ArrayList<>();
    List<Integer> offered = new ArrayList<>();
    if (hostList != null && !hostList.isEmpty()) {
      for (String entry : hostList.split(",", -1)) {
        String trimmed = entry.strip();
        try {
          offered.add(Integer.parseInt(trimmed));
        } catch (NumberFormatException e) {
          // go-plugin skips such entries too: a typo in one entry should not hide a usable version in another.
          warnings.add(ENV + " entry '" + entry + "' is not a number; ignored (value: '" + hostList + "')");
        }
      }
    }
    List<Integer> ours = supported.stream().distinct().sorted(Comparator.reverseOrder()).toList();
    for (int candidate : ours) {
      if (offered.contains(candidate)) {
        return new Negotiated(candidate, true, warnings);
      }
    }
    return new Negotiated(ours.getLast(), false, warnings);
  }
}
