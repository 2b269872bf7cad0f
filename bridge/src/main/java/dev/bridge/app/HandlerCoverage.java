package dev.bridge.app;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.script.HandlerRule;
import dev.bridge.script.HandlerRuleException;
import dev.bridge.script.ScriptExports;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Start-up check of a script's exports against {@link HandlerRule}: a misspelt handler ({@code export function get},
 * {@code Inventory.get}) or a flat export of a method name two served services share would otherwise leave methods
 * UNIMPLEMENTED, or serve the wrong one, without a word.
 *
 * <p>When {@code --service} or the manifest's {@code "services"} serve only some of the services the proto files
 * define, a script implementing all of them is still right: exports meant for a loaded service not served are left
 * unserved (one debug line names them), and only exports that match no loaded service are refused.
 */
public final class HandlerCoverage {
  private static final Logger LOG = Logger.getLogger(HandlerCoverage.class.getName());

  private HandlerCoverage() {}

  /** The check of flat functions only, when every loaded service is served. */
  public static Set<String> check(Path script, Set<String> exportedFunctions, List<ServiceDescriptor> services)
      throws HandlerRuleException {
    return check(script, ScriptExports.functions(exportedFunctions), services, services);
  }

  /** The check of flat functions only. */
  public static Set<String> check(Path script, Set<String> exportedFunctions, List<ServiceDescriptor> served,
      List<ServiceDescriptor> loaded) throws HandlerRuleException {
    return check(script, ScriptExports.functions(exportedFunctions), served, loaded);
  }

  /**
   * @param served the services to serve
   * @param loaded every service of the loaded proto files (those served among them)
   * @return the exports left unserved, which are meant for loaded services not served
   */
  public static Set<String> check(Path script, ScriptExports exports, List<ServiceDescriptor> served,
      List<ServiceDescriptor> loaded) throws HandlerRuleException {
    Set<String> unserved = HandlerRule.check(script, exports, served, loaded);
    if (!unserved.isEmpty()) {
      LOG.log(Level.FINE, script + ": exports not served (meant for services not selected by --service or the"
          + " manifest's \"services\")", Map.of(
              "exports", List.copyOf(unserved),
              "served", served.stream().map(ServiceDescriptor::getFullName).toList()));
    }
    return unserved;
  }
}
