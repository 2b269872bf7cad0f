package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Start-up check that every function a script exports serves a method: a misspelt handler
 * ({@code export function get}) would otherwise leave its method UNIMPLEMENTED without a word.
 *
 * <p>When {@code --service} or the manifest's {@code "services"} serve only some of the services the proto files
 * define, a script implementing all of them is still right: exports that implement a method of a loaded service not
 * served are left unserved (one debug line names them), and only exports that match no loaded service's method are
 * refused.
 */
final class HandlerCoverage {
  private static final Logger LOG = Logger.getLogger(HandlerCoverage.class.getName());

  private HandlerCoverage() {}

  /** The check when every loaded service is served. */
  static Set<String> check(Path script, Set<String> exportedFunctions, List<ServiceDescriptor> services)
      throws StartupException {
    return check(script, exportedFunctions, services, services);
  }

  /**
   * @param served the services to serve
   * @param loaded every service of the loaded proto files (those served among them)
   * @return the exports left unserved, which implement methods of loaded services not served
   */
  static Set<String> check(Path script, Set<String> exportedFunctions, List<ServiceDescriptor> served,
      List<ServiceDescriptor> loaded) throws StartupException {
    Set<String> servedMethods = methodNames(served);
    Set<String> unserved = new TreeSet<>(exportedFunctions);
    unserved.removeAll(servedMethods);
    Set<String> unmatched = new TreeSet<>(unserved);
    unmatched.removeAll(methodNames(loaded));
    if (!unmatched.isEmpty()) {
      Map<String, ServiceDescriptor> all = new LinkedHashMap<>();
      served.forEach(service -> all.put(service.getFullName(), service));
      loaded.forEach(service -> all.putIfAbsent(service.getFullName(), service));
      Set<String> allMethods = methodNames(all.values());
      throw new StartupException(script + " exports " + String.join(", ", unmatched)
          + (unmatched.size() == 1 ? ", which matches" : ", which match") + " no method of "
          + String.join(", ", all.keySet())
          + (all.size() == 1 ? " (its methods: " : " (their methods: ") + String.join(", ", allMethods)
          + "); rename it or stop exporting it");
    }
    if (!unserved.isEmpty()) {
      LOG.log(Level.FINE, script + ": exports not served (methods of services not selected by --service or the"
          + " manifest's \"services\")", Map.of(
              "exports", List.copyOf(unserved),
              "served", served.stream().map(ServiceDescriptor::getFullName).toList()));
    }
    return unserved;
  }

  private static Set<String> methodNames(Iterable<ServiceDescriptor> services) {
    Set<String> names = new TreeSet<>();
    services.forEach(service -> service.getMethods().stream().map(MethodDescriptor::getName).forEach(names::add));
    return names;
  }
}
