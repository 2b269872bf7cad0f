package dev.bridge.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What tells this build of the bridge from others, for keys of cached work that depends on its code
 * (how Wire parses and encodes a schema): the jar's version, path, size and modification time, so a
 * rebuilt jar does not use what an earlier one cached. Run from class directories (development, tests),
 * no such identity exists and each process gets one of its own.
 */
final class BuildIdentity {
  private static final Logger LOG = Logger.getLogger("dev.bridge.cli");

  private BuildIdentity() {}

  static String current() {
    String version = String.valueOf(BuildIdentity.class.getPackage().getImplementationVersion());
    try {
      Path code = Path.of(BuildIdentity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(code)) {
        return version + " " + code + " " + Files.size(code) + " " + Files.getLastModifiedTime(code);
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // An identity of this process alone, below, only costs cache hits.
      LOG.log(Level.FINE, "the bridge's jar is unknown; cached schemas last this process", Map.of("error", String.valueOf(e)));
    }
    return version + " process " + ProcessHandle.current().pid() + " " + System.nanoTime();
  }
}
